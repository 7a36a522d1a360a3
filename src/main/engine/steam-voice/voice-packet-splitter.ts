import {
  EVENT_END,
  EVENT_FRAME,
  EVENT_SILENCE,
  parseVoicePacket,
  VoicePacketView,
  VoicePacketWriter
} from './voice-packet'

/** Steam voice is Opus at 24 kHz in 20 ms frames. */
const FRAME_MS = 20
const SAMPLES_PER_MS = 24
/** What a packet costs besides its frames: SteamID, sample rate, one Opus chunk's header, CRC. */
const PACKET_OVERHEAD = 8 + 3 + 3 + 4

/** Where each piece goes: its bytes (valid during the call) and how far into the packet it starts (ms). */
export type VoicePieceSink = (piece: Uint8Array, length: number, startsAfterMs: number) => void

/**
 * A Steam voice packet too big for one datagram (GetVoice may return up to 8 KiB after a stall),
 * as several smaller packets that are each valid on their own: whole Opus frames in order, their
 * sequence numbers kept, silence and end-of-stream markers where they were. A receiver decodes
 * them like any others, and a lost piece costs only its own frames. Never allocates.
 */
export class VoicePacketSplitter {
  private readonly view = new VoicePacketView()
  private readonly writer: VoicePacketWriter

  constructor(steamIdLow: number, steamIdHigh: number) {
    this.writer = new VoicePacketWriter(steamIdLow, steamIdHigh)
  }

  /**
   * Emits the pieces, each at most `maxBytes`; false (and nothing emitted) for a packet that is
   * not Steam's, or holds a frame that cannot fit alone.
   */
  split(bytes: Uint8Array, length: number, maxBytes: number, emit: VoicePieceSink): boolean {
    const view = this.view
    if (parseVoicePacket(bytes, length, view) !== 'ok') return false
    for (let e = 0; e < view.eventCount; e++) {
      if (view.eventKind[e] === EVENT_FRAME && PACKET_OVERHEAD + 4 + view.frameLength[e]! > maxBytes) return false
    }
    const writer = this.writer
    writer.begin()
    let empty = true
    let elapsedMs = 0
    let pieceStartMs = 0
    for (let e = 0; e < view.eventCount; e++) {
      const kind = view.eventKind[e]
      const cost = kind === EVENT_FRAME ? writer.costOfFrame(view.frameLength[e]!) : kind === EVENT_SILENCE ? 3 : 3 + 2
      if (!empty && writer.size + cost > maxBytes) {
        emit(writer.bytes, writer.finish(), pieceStartMs)
        writer.begin()
        pieceStartMs = elapsedMs
      }
      empty = false
      if (kind === EVENT_FRAME) {
        writer.addFrame(view.eventValue[e]!, bytes, view.frameLength[e]!, view.frameOffset[e]!)
        elapsedMs += FRAME_MS
      } else if (kind === EVENT_SILENCE) {
        writer.addSilence(view.eventValue[e]!)
        elapsedMs += view.eventValue[e]! / SAMPLES_PER_MS
      } else if (kind === EVENT_END) {
        writer.addEnd()
      }
    }
    if (!empty) emit(writer.bytes, writer.finish(), pieceStartMs)
    return true
  }
}
