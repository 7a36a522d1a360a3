import type { Logger } from '../logging/logger'
import { encodeControl, type ControlMessageInput } from '../transport/control-messages'
import type { TransportStats } from '../transport/room-transport'
import {
  DatagramWriter,
  MAX_DATAGRAM_BYTES,
  toWallClock,
  wallClock,
  WIRE_CONTROL,
  WIRE_VOICE
} from '../transport/wire-protocol'
import { SEND_RELIABLE, SEND_UNRELIABLE_NO_DELAY, type SteamworksApi } from './steamworks-api'

/** P2P packets read per poll at most (5 ms; 256 is far above any room's voice). */
const MAX_READS_PER_POLL = 256

/** Our datagrams over Steam's P2P, and theirs read from its queue: the wire format, with Steam as the network. */
export class SteamP2P {
  private readonly writer: DatagramWriter
  private readonly out = Buffer.alloc(MAX_DATAGRAM_BYTES)

  constructor(
    private readonly networking: SteamworksApi['networking'],
    localLow: number,
    localHigh: number,
    private readonly stats: TransportStats,
    private readonly logger: Logger
  ) {
    this.writer = new DatagramWriter(localLow, localHigh)
  }

  /** One voice datagram to each of `to` (unreliable, no delay). */
  voice(to: Iterable<bigint>, packet: Uint8Array, length: number, capturedAt: number): void {
    const size = this.writer.write(
      this.out,
      WIRE_VOICE,
      this.writer.next(WIRE_VOICE),
      toWallClock(capturedAt),
      packet,
      length
    )
    const datagram = this.out.subarray(0, size)
    for (const id of to) {
      if (this.networking.sendP2PPacket(id, SEND_UNRELIABLE_NO_DELAY, datagram)) this.stats.sent++
      else this.stats.unsent.refused++
    }
  }

  control(to: bigint, message: ControlMessageInput, sendType = SEND_RELIABLE): void {
    const payload = encodeControl(message)
    const size = this.writer.write(
      this.out,
      WIRE_CONTROL,
      this.writer.next(WIRE_CONTROL),
      wallClock(),
      payload,
      payload.length
    )
    if (size < 0) {
      this.stats.unsent.tooBig++
      this.logger.error(`a ${message.kind} message of ${payload.length} bytes does not fit a datagram`)
    } else if (this.networking.sendP2PPacket(to, sendType, this.out.subarray(0, size))) this.stats.sent++
    else this.stats.unsent.refused++
  }

  /** What Steam has queued for us, to `receive`; bounded, so a flood cannot hold the event loop (the rest waits for the next poll). */
  drain(receive: (bytes: Buffer, length: number, from: bigint) => void): void {
    const networking = this.networking
    let reads = 0
    for (
      let size = networking.isP2PPacketAvailable();
      size > 0 && reads++ < MAX_READS_PER_POLL;
      size = networking.isP2PPacketAvailable()
    ) {
      const packet = networking.readP2PPacket(size)
      receive(packet.data, packet.size, packet.steamId.steamId64)
    }
  }
}
