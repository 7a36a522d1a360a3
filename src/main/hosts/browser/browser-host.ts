import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { CONTENT_SECURITY_POLICY } from '../../../shared/content-security-policy'
import {
  ClientMessageSchema,
  CONTRACT_WEBSOCKET_PATH,
  decodeMessage,
  encodeMessage,
  MAX_CONTRACT_MESSAGE_BYTES,
  PLAYBACK_WEBSOCKET_PATH,
  CAPTURE_WEBSOCKET_PATH,
  type ServerMessage
} from '../../../shared/websocket-envelope'
import type { Logger } from '../../engine/logging/logger'
import type { ParleyEngine } from '../../engine/parley-engine'
import { CAPTURE_FRAME_HEADER_BYTES, MAX_CAPTURE_FRAME_SAMPLES } from '../../../shared/capture-frame'
import { MAX_PLAYOUT_REPORT_BYTES } from '../../../shared/playout-report'
import sirv from 'sirv'

export interface BrowserHostOptions {
  engine: Pick<ParleyEngine, 'dispatch' | 'onEvent' | 'addPlaybackListener' | 'playoutReport' | 'pushCapture'>
  host: string
  port: number
  /** The built renderer (out/renderer). */
  rendererDir: string
  logger: Logger
}

export interface BrowserHost {
  /** The page's address, e.g. http://127.0.0.1:5190/ */
  readonly url: string
  close(): Promise<void>
}

/** Half a second of 48 kHz mono PCM: past this a page is not keeping up. */
const MAX_PLAYBACK_BACKLOG_BYTES = 48000

const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Cross-origin isolation: the page may share memory with its audio threads (the playback ring).
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store'
}

/**
 * Runs the engine behind an HTTP server: the built renderer as static files and the contract
 * over a WebSocket. The same dispatcher as Electron's IPC bridge; only the framing differs.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { engine, logger } = options
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const authority = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  const origin = `http://${authority}`

  // A page on another site, or one reached through a rebound DNS name, is not ours.
  const isOurs = (request: IncomingMessage): boolean => request.headers.host === authority

  // The built page, by sirv: it lists the folder once at start and serves only those files (no
  // path can climb out of it, dotfiles never), with types, lengths and HEAD; ours are the
  // host and method checks before it and the security headers on every answer.
  const files = sirv(options.rendererDir, {
    dev: false,
    etag: false,
    dotfiles: false,
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
    },
    onNoMatch: (_request, response) => end(response, 404, 'not found')
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!isOurs(request)) return end(response, 421, 'wrong host')
    if (request.method !== 'GET' && request.method !== 'HEAD') return end(response, 405, 'method not allowed')
    files(request, response)
  })

  const verifyClient = ({ req, origin: requestOrigin }: { req: IncomingMessage; origin: string }) => {
    const trusted = isOurs(req) && requestOrigin === origin
    if (!trusted) logger.warn(`refused a socket from origin "${requestOrigin}" (host ${req.headers.host})`)
    return trusted
  }
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CONTRACT_MESSAGE_BYTES, verifyClient })
  // Playback frames go out; what comes back is the worklet's binary reports (text closes the socket).
  const playback = new WebSocketServer({ noServer: true, maxPayload: MAX_PLAYOUT_REPORT_BYTES, verifyClient })
  // Capture frames only come in, binary; text closes the socket, a malformed frame is counted.
  const capture = new WebSocketServer({
    noServer: true,
    maxPayload: CAPTURE_FRAME_HEADER_BYTES + MAX_CAPTURE_FRAME_SAMPLES * 2,
    verifyClient
  })
  const routes = new Map([
    [CONTRACT_WEBSOCKET_PATH, sockets],
    [PLAYBACK_WEBSOCKET_PATH, playback],
    [CAPTURE_WEBSOCKET_PATH, capture]
  ])
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy())
    let target: WebSocketServer | undefined
    try {
      target = routes.get(new URL(request.url ?? '/', origin).pathname)
    } catch {
      target = undefined // not a URL at all
    }
    if (!target) return socket.destroy()
    target.handleUpgrade(request, socket, head, (ws) => {
      // A malformed or oversized frame makes ws emit 'error' and close the socket; unheard, it would end the host.
      ws.on('error', (error) => socketTrouble(`${request.url}: ${error.message}`))
      target.emit('connection', ws, request)
    })
  })
  /** What a page's sockets did wrong (each closed; the host goes on): counted, and the first few logged. */
  let troubles = 0
  const socketTrouble = (what: string): void => {
    if (troubles++ < 10) logger.warn(`closed a page socket: ${what}`)
  }

  playback.on('connection', (socket) => {
    const stop = engine.addPlaybackListener((frame) => {
      // A page that cannot keep up loses audio, not memory: skip frames while its buffer is full.
      // The frame is main's reused buffer; the socket may hold on to what it sends, so it gets a copy.
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < MAX_PLAYBACK_BACKLOG_BYTES) {
        socket.send(Buffer.from(frame))
      }
    })
    socket.on('close', stop)
    socket.on('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Buffer)) return socket.close(1008, 'playback reports are binary')
      try {
        engine.playoutReport(data)
      } catch (error) {
        socketTrouble(`a playback report threw: ${(error as Error).message}`)
      }
    })
  })

  capture.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Buffer)) return socket.close(1008, 'capture frames are binary')
      try {
        engine.pushCapture(data)
      } catch (error) {
        socketTrouble(`a capture frame threw: ${(error as Error).message}`)
      }
    })
  })

  const clients = new Set<WebSocket>()
  sockets.on('connection', (socket) => {
    clients.add(socket)
    socket.on('close', () => clients.delete(socket))
    socket.on('message', (data, isBinary) => {
      answer(socket, isBinary ? null : data.toString()).catch((error: Error) => {
        socketTrouble(`a request failed: ${error.message}`)
        socket.close(1011, 'request failed')
      })
    })
  })

  const answer = async (socket: WebSocket, text: string | null): Promise<void> => {
    let json: unknown
    try {
      json = text === null ? undefined : decodeMessage(text)
    } catch {
      json = undefined
    }
    const message = ClientMessageSchema.safeParse(json)
    if (!message.success) {
      logger.warn('closed a contract socket that sent a malformed message')
      socket.close(1008, 'malformed message')
      return
    }
    const result = await engine.dispatch(message.data.channel, message.data.payload)
    send(socket, { type: 'result', id: message.data.id, result })
  }

  const stopEvents = engine.onEvent((event, payload) => {
    for (const socket of clients) send(socket, { type: 'event', event, payload })
  })

  return {
    url: `${origin}/`,
    async close() {
      stopEvents()
      for (const socket of clients) socket.terminate()
      for (const socket of playback.clients) socket.terminate()
      for (const socket of capture.clients) socket.terminate()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      await new Promise<void>((resolve) => playback.close(() => resolve()))
      await new Promise<void>((resolve) => capture.close(() => resolve()))
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(encodeMessage(message))
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(text)
}
