import { createSocket, type Socket } from 'node:dgram'
import { Handshake } from '../../src/main/engine/auth/handshake'
import type { LanIdentity } from '../../src/main/engine/auth/lan-identity'
import { issueLanTicket } from '../../src/main/engine/auth/lan-ticket'
import { SessionCrypto } from '../../src/main/engine/auth/session-crypto'
import { encodeControl, type ControlMessageInput } from '../../src/main/engine/transport/control-messages'
import {
  DatagramWriter,
  HANDSHAKE_PREFIX_BYTES,
  MAX_DATAGRAM_BYTES,
  parseDatagram,
  WIRE_CONTROL,
  WIRE_HANDSHAKE,
  WireView,
  type WireType
} from '../../src/main/engine/transport/wire-protocol'
import { joinSteamId, splitSteamId } from '../../src/shared/steam-id'

type Target = { host: string; port: number }

/**
 * Someone on the network who speaks Parley's wire format by hand: a stranger (any id it likes,
 * any bytes), or, given a real identity, a member in good standing who then misbehaves. Tests
 * use it to send what the app never would.
 */
export class LanStranger {
  readonly writer: DatagramWriter
  private readonly view = new WireView()
  private waiting: ((message: Buffer) => void) | null = null
  crypto: SessionCrypto | null = null
  binding: Uint8Array | null = null
  /** Who answered our last handshake (the id in their header). */
  peerId: bigint | null = null
  sent = 0

  private constructor(
    readonly socket: Socket,
    readonly id: bigint
  ) {
    const { low, high } = splitSteamId(id)
    this.writer = new DatagramWriter(low, high)
    socket.on('message', (message) => this.waiting?.(message))
  }

  static async open(id: bigint): Promise<LanStranger> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
    return new LanStranger(socket, id)
  }

  get port(): number {
    return this.socket.address().port
  }

  send(bytes: Uint8Array, to: Target): void {
    this.socket.send(bytes, to.port, to.host)
    this.sent++
  }

  /** A datagram in the clear, as this stranger. */
  clear(type: WireType, payload: Uint8Array, sequence = this.writer.next(type)): Buffer {
    const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
    return out.subarray(0, this.writer.write(out, type, sequence, Date.now(), payload, payload.length))
  }

  /** A datagram in the clear from someone else's writer (another id, its own sequence). */
  clearFrom(writer: DatagramWriter, type: WireType, payload: Uint8Array): Buffer {
    const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
    return out.subarray(0, writer.write(out, type, writer.next(type), Date.now(), payload, payload.length))
  }

  /** A datagram sealed in the session made by `handshake` (its counter moves on each time). */
  sealed(type: WireType, payload: Uint8Array, sequence = this.writer.next(type)): Buffer {
    const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
    return out.subarray(
      0,
      this.writer.writeSealed(out, type, sequence, Date.now(), payload, payload.length, this.crypto!)
    )
  }

  control(message: ControlMessageInput): Buffer {
    return this.sealed(WIRE_CONTROL, encodeControl(message))
  }

  static handshakeDatagram(writer: DatagramWriter, step: number, message: Uint8Array, exchange = 7): Buffer {
    const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
    const payload = Uint8Array.of(
      step,
      exchange & 0xff,
      (exchange >>> 8) & 0xff,
      (exchange >>> 16) & 0xff,
      exchange >>> 24,
      ...message
    )
    return out.subarray(
      0,
      writer.write(out, WIRE_HANDSHAKE, writer.next(WIRE_HANDSHAKE), Date.now(), payload, payload.length)
    )
  }

  /** Runs a real Noise handshake with the peer at `to`, as initiator; then everything can be sealed. */
  async handshake(to: Target, timeoutMs = 3000): Promise<void> {
    const handshake = Handshake.initiate()
    const answer = this.next((message) => this.view.type === WIRE_HANDSHAKE && message[20] === 2, timeoutMs)
    this.send(LanStranger.handshakeDatagram(this.writer, 1, handshake.lastSent!), to)
    const step2 = await answer
    this.peerId = joinSteamId(this.view.senderLow, this.view.senderHigh)
    if (!handshake.step(step2.subarray(20 + HANDSHAKE_PREFIX_BYTES))) throw new Error('the handshake failed')
    this.send(LanStranger.handshakeDatagram(this.writer, 3, handshake.lastSent!), to)
    this.crypto = new SessionCrypto(handshake.keys!.send, handshake.keys!.receive)
    this.binding = handshake.keys!.binding
  }

  /**
   * Handshake, then a valid ticket for the peer at `to` (by the id it answered with): a verified
   * member of that peer. Returns the ticket (base64).
   */
  async join(to: Target, identity: LanIdentity, name = 'Mallory'): Promise<string> {
    await this.handshake(to)
    const ticket = Buffer.from(issueLanTicket(identity, this.peerId!, this.binding!)).toString('base64')
    this.send(this.control({ kind: 'auth', ticket, name }), to)
    return ticket
  }

  /** The next datagram from anyone that `match`es (its header already parsed into the view). */
  private next(match: (message: Buffer) => boolean, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null
        reject(new Error('no answer'))
      }, timeoutMs)
      this.waiting = (message) => {
        if (!parseDatagram(message, message.length, this.view) || !match(message)) return
        clearTimeout(timer)
        this.waiting = null
        resolve(message)
      }
    })
  }

  close(): void {
    this.socket.close()
  }
}
