import { isEventChannel, type EventChannel } from '@shared/channels'
import type { EventPayload, InvokeResult, ParleyApi } from '@shared/contract'
import {
  CONTRACT_WEBSOCKET_PATH,
  decodeMessage,
  encodeMessage,
  type ClientMessage,
  type ServerMessage
} from '@shared/websocket-envelope'

import { NO_ANSWER, requestTimeoutMs } from '@shared/request-timeouts'

const RECONNECT_DELAY_MS = 1000
/** A host that answers nothing for this long is gone, even if its socket still looks open (frozen). */
const HEARTBEAT_INTERVAL_MS = 500
const HEARTBEAT_DEAD_MS = 1500

const LOST = 'Parley is not answering (lost the connection). It reconnects by itself when Parley is back.'

/**
 * The contract over the browser host's WebSocket, for pages served by `npm run serve`. A dropped
 * or silent host is noticed within 2 s (a heartbeat), reported to `onConnection`, and the socket
 * reopened every second; every request has a timeout and fails in words, never waits forever.
 */
export function createWebSocketApi(pageUrl: string): ParleyApi & {
  onConnection(listener: (connected: boolean) => void): () => void
} {
  const url = new URL(CONTRACT_WEBSOCKET_PATH, pageUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'

  let nextId = 1
  const pending = new Map<number, (result: InvokeResult<never>) => void>()
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>()
  const connectionListeners = new Set<(connected: boolean) => void>()
  let socket: WebSocket
  let connected = false
  let lastHeard = 0
  let waiting: Array<() => void> = []

  const setConnected = (value: boolean): void => {
    if (connected === value) return
    connected = value
    for (const listener of connectionListeners) listener(value)
  }
  const failAll = (): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'failed', message: LOST } })
    pending.clear()
  }

  const connect = (): void => {
    const current = new WebSocket(url)
    socket = current
    current.addEventListener('open', () => {
      lastHeard = Date.now()
      setConnected(true)
      for (const wake of waiting) wake()
      waiting = []
    })
    current.addEventListener('message', (event) => {
      lastHeard = Date.now()
      if (typeof event.data !== 'string') return
      const message = decodeMessage(event.data) as ServerMessage
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result as InvokeResult<never>)
        pending.delete(message.id)
      } else if (isEventChannel(message.event)) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never)
      }
    })
    current.addEventListener('close', () => {
      if (socket !== current) return
      failAll()
      setConnected(false)
      setTimeout(connect, RECONNECT_DELAY_MS)
    })
  }
  connect()

  // The heartbeat: a cheap request when nothing else was heard; silence means the host is gone.
  setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return
    if (Date.now() - lastHeard > HEARTBEAT_DEAD_MS) {
      socket.close() // its 'close' fails what waits and reconnects
      return
    }
    if (Date.now() - lastHeard >= HEARTBEAT_INTERVAL_MS) {
      socket.send(encodeMessage({ type: 'invoke', id: nextId++, channel: 'voice:getStatus', payload: undefined }))
    }
  }, HEARTBEAT_INTERVAL_MS / 2)

  /** Resolves once the socket is open, or false after `ms`. */
  const open = (ms: number): Promise<boolean> =>
    socket.readyState === WebSocket.OPEN
      ? Promise.resolve(true)
      : new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), ms)
          waiting.push(() => {
            clearTimeout(timer)
            resolve(true)
          })
        })

  return {
    async invoke(channel, ...args) {
      const id = nextId++
      const message: ClientMessage = { type: 'invoke', id, channel, payload: args[0] }
      // Encoded now, as Electron's IPC clones at the call: later changes to the payload don't travel.
      const text = encodeMessage(message)
      const timeoutMs = requestTimeoutMs(channel)
      const started = Date.now()
      if (!(await open(timeoutMs))) return { ok: false, error: { code: 'failed', message: LOST } }
      return new Promise((resolve) => {
        const timer = setTimeout(
          () => {
            pending.delete(id)
            resolve({ ok: false, error: { code: 'failed', message: NO_ANSWER } })
          },
          timeoutMs - (Date.now() - started)
        )
        pending.set(id, (result) => {
          clearTimeout(timer)
          resolve(result as never)
        })
        socket.send(text)
      })
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    }
  }
}
