import { isEventChannel, type EventChannel } from '@shared/channels'
import type { EventPayload, InvokeResult, ParleyApi } from '@shared/contract'
import {
  CONTRACT_WEBSOCKET_PATH,
  decodeMessage,
  encodeMessage,
  type ClientMessage,
  type ServerMessage
} from '@shared/websocket-envelope'

const RECONNECT_DELAY_MS = 1000

/**
 * The contract over the browser host's WebSocket, for pages served by `npm run serve`.
 * Calls made while disconnected wait for the next connection; a dropped socket is reopened.
 */
export function createWebSocketApi(pageUrl: string): ParleyApi {
  const url = new URL(CONTRACT_WEBSOCKET_PATH, pageUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'

  let nextId = 1
  const pending = new Map<number, (result: InvokeResult<never>) => void>()
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>()
  let socket: WebSocket
  let opened: Promise<WebSocket>

  const connect = (): void => {
    socket = new WebSocket(url)
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(socket), { once: true }))
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return
      const message = decodeMessage(event.data) as ServerMessage
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result as InvokeResult<never>)
        pending.delete(message.id)
      } else if (isEventChannel(message.event)) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never)
      }
    })
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) {
        resolve({ ok: false, error: { code: 'failed', message: 'lost the connection to Parley' } })
      }
      pending.clear()
      setTimeout(connect, RECONNECT_DELAY_MS)
    })
  }
  connect()

  return {
    async invoke(channel, ...args) {
      const id = nextId++
      const message: ClientMessage = { type: 'invoke', id, channel, payload: args[0] }
      // Encoded now, as Electron's IPC clones at the call: later changes to the payload don't travel.
      const text = encodeMessage(message)
      const ready = socket.readyState === WebSocket.OPEN ? socket : await opened
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: InvokeResult<never>) => void)
        ready.send(text)
      })
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    }
  }
}
