import { VoicePacketSplitter } from '../steam-voice/voice-packet-splitter'

/** Sends one voice packet that fits a datagram: the transport's own write and send. */
export type SendVoiceDatagram = (packet: Uint8Array, length: number, capturedAt: number) => void

/**
 * Every voice packet goes out in datagrams that fit: as it is when it fits, else split at Opus
 * frame boundaries into valid Steam voice packets (each with its own wire sequence and capture
 * time), so receivers need nothing new and a lost datagram costs only its frames. What cannot be
 * split (not a Steam packet) is counted as too big, never as sent.
 */
export class VoiceDatagramFitter {
  private readonly splitter: VoicePacketSplitter
  private capturedAt = 0

  constructor(
    localLow: number,
    localHigh: number,
    /** The largest voice packet one datagram carries on this transport. */
    private readonly maxPacketBytes: number,
    private readonly sendOne: SendVoiceDatagram
  ) {
    this.splitter = new VoicePacketSplitter(localLow, localHigh)
  }

  /** Into datagrams that fit, each sent; false when the packet could not be sent at all. */
  fit(packet: Uint8Array, length: number, capturedAt: number): boolean {
    if (length <= this.maxPacketBytes) {
      this.sendOne(packet, length, capturedAt)
      return true
    }
    this.capturedAt = capturedAt
    return this.splitter.split(packet, length, this.maxPacketBytes, this.sendPiece)
  }

  private readonly sendPiece = (piece: Uint8Array, length: number, startsAfterMs: number): void => {
    this.sendOne(piece, length, this.capturedAt + startsAfterMs)
  }
}
