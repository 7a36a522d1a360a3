import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import type { Logger } from '../logging/logger'
import { MAX_DATAGRAM_BYTES } from '../transport/wire-protocol'

/** A buffer lent for one outgoing datagram; `release` gives it back (made once per buffer, so sending allocates nothing). */
export interface SendBuffer {
  readonly bytes: Buffer
  readonly release: () => void
}

/** At most this many datagrams wait in the kernel at once; past it, sends are dropped and counted. */
const MAX_IN_FLIGHT = 4096
const RECEIVE_BUFFER_BYTES = 2 * 1024 * 1024

/**
 * One UDP socket: datagrams in, through one catch boundary, and datagrams out, through buffers
 * that are never reused while the kernel may still hold them (dgram keeps a buffer until its
 * send's callback; a ring reused them after 256 sends, and a burst overwrote datagrams in flight).
 */
export class UdpEndpoint {
  private errors = 0
  /** Sends dropped because MAX_IN_FLIGHT were already waiting. */
  sendDropped = 0
  private readonly free: SendBuffer[] = []
  private made = 0
  private closed = false

  private constructor(
    private readonly socket: Socket,
    private readonly logger: Logger
  ) {
    socket.on('error', (error) => logger.warn(`LAN socket: ${error.message}`))
    socket.on('close', () => (this.closed = true))
  }

  static async open(host: string, port: number, logger: Logger): Promise<UdpEndpoint> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    // A room's worth of handshakes, rosters and voice can arrive at once; the default 208 KB
    // queue overflows in a burst (64 members joining) and the kernel drops what does not fit.
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES)
    } catch {
      /* the system's limit stands */
    }
    return new UdpEndpoint(socket, logger)
  }

  get address(): { host: string; port: number } {
    const { address, port } = this.socket.address()
    return { host: address, port }
  }

  get isClosed(): boolean {
    return this.closed
  }

  setBroadcast(on: boolean): void {
    this.socket.setBroadcast(on)
  }

  /**
   * Every datagram goes to `handler`; whatever it throws (a bug: the datagram is dropped, the
   * socket goes on) is caught here, counted by `threw` and logged (the first ten).
   */
  onDatagram(handler: (message: Buffer, remote: RemoteInfo) => void, threw: () => void): void {
    this.socket.on('message', (message, remote) => {
      try {
        handler(message, remote)
      } catch (error) {
        threw()
        if (this.errors++ < 10)
          this.logger.error(`dropped a datagram from ${remote.address}: ${(error as Error).stack}`)
      }
    })
  }

  /** A buffer to write one datagram into, or null when too many are in flight. */
  lend(): SendBuffer | null {
    const buffer = this.free.pop()
    if (buffer) return buffer
    if (this.made >= MAX_IN_FLIGHT) {
      this.sendDropped++
      return null
    }
    this.made++
    const bytes = Buffer.alloc(MAX_DATAGRAM_BYTES)
    const lent: SendBuffer = { bytes, release: () => this.free.push(lent) }
    return lent
  }

  /** Sends `length` bytes of a lent buffer; it comes back once the kernel is done (then `sent`, if given). */
  transmit(buffer: SendBuffer, length: number, host: string, port: number, sent?: () => void): void {
    if (this.closed || length <= 0) {
      buffer.release()
      sent?.()
      return
    }
    this.socket.send(
      buffer.bytes,
      0,
      length,
      port,
      host,
      sent
        ? () => {
            buffer.release()
            sent()
          }
        : buffer.release
    )
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }
}
