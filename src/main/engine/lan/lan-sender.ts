import type { Logger } from '../logging/logger'
import { encodeControl, type ControlMessageInput } from '../transport/control-messages'
import type { TransportStats } from '../transport/room-transport'
import {
  DatagramWriter,
  HANDSHAKE_PREFIX_BYTES,
  toWallClock,
  wallClock,
  WIRE_CONTROL,
  WIRE_HANDSHAKE,
  WIRE_VOICE,
  type WireType
} from '../transport/wire-protocol'
import type { LanPeer } from './lan-peer'
import type { UdpEndpoint } from './udp-endpoint'

/** Everything a LAN room sends: sealed to one peer, in the clear (handshakes, beacons), voice to every member. */
export class LanSender {
  private readonly writer: DatagramWriter
  private readonly handshakeScratch = new Uint8Array(HANDSHAKE_PREFIX_BYTES + 96)

  constructor(
    private readonly endpoint: UdpEndpoint,
    localLow: number,
    localHigh: number,
    private readonly stats: TransportStats,
    private readonly logger: Logger
  ) {
    this.writer = new DatagramWriter(localLow, localHigh)
  }

  /** A control message sealed in `peer`'s session; `sent` runs once it left (or could not). */
  sealed(peer: LanPeer, message: ControlMessageInput, sent?: () => void): void {
    const crypto = peer.session.crypto
    const buffer = crypto && !this.endpoint.isClosed ? this.endpoint.lend() : null
    if (!buffer) return sent?.()
    const payload = encodeControl(message)
    const sequence = this.writer.next(WIRE_CONTROL)
    const size = this.writer.writeSealed(
      buffer.bytes,
      WIRE_CONTROL,
      sequence,
      wallClock(),
      payload,
      payload.length,
      crypto!
    )
    this.endpoint.transmit(buffer, size, peer.host, peer.port, sent)
    if (size > 0) this.stats.sent++
    else {
      this.stats.unsent.tooBig++
      this.logger.error(`a ${message.kind} message of ${payload.length} bytes does not fit a datagram`)
    }
  }

  clear(type: WireType, host: string, port: number, payload: Uint8Array, length: number): void {
    const buffer = this.endpoint.lend()
    if (!buffer) return
    const size = this.writer.write(buffer.bytes, type, this.writer.next(type), wallClock(), payload, length)
    this.endpoint.transmit(buffer, size, host, port)
    if (size > 0) this.stats.sent++
  }

  /** Our last handshake message to `peer` (again, if it was lost). */
  handshake(peer: LanPeer): void {
    const { handshake, exchange } = peer.session
    const message = handshake.lastSent
    if (!message) return
    const step = handshake.initiator ? (handshake.complete ? 3 : 1) : 2
    const scratch = this.handshakeScratch
    scratch[0] = step
    scratch[1] = exchange & 0xff
    scratch[2] = (exchange >>> 8) & 0xff
    scratch[3] = (exchange >>> 16) & 0xff
    scratch[4] = (exchange >>> 24) & 0xff
    scratch.set(message, HANDSHAKE_PREFIX_BYTES)
    this.clear(WIRE_HANDSHAKE, peer.host, peer.port, scratch, HANDSHAKE_PREFIX_BYTES + message.length)
  }

  /** One voice datagram, sealed for each member who has verified us. */
  voice(members: Iterable<LanPeer>, packet: Uint8Array, length: number, capturedAt: number): void {
    // One packet, one sequence number, whoever it goes to: each receiver sees every number.
    const sequence = this.writer.next(WIRE_VOICE)
    const timestamp = toWallClock(capturedAt)
    for (const member of members) {
      if (!member.peerAccepted) continue // they would drop it: they have not verified us yet
      const buffer = this.endpoint.lend()
      if (!buffer) {
        this.stats.unsent.refused++
        continue
      }
      const size = this.writer.writeSealed(
        buffer.bytes,
        WIRE_VOICE,
        sequence,
        timestamp,
        packet,
        length,
        member.session.crypto!
      )
      this.endpoint.transmit(buffer, size, member.host, member.port)
      if (size > 0) this.stats.sent++
    }
  }
}
