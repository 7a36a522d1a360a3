/**
 * One speaker's decoded PCM on its way from main to the playback worklet, as one binary
 * message: the same bytes over Electron's MessagePort and the browser host's WebSocket.
 *
 *   0  u8   kind (1: audio, 2: the speaker left, 3: their stream ended)
 *   1  u8   version (2)
 *   2  u16  reserved (0)
 *   4  u32  sample rate
 *   8  u64  speaker SteamID64
 *   16 f64  when main sent it (wall-clock ms): the worklet measures the transit
 *   24 i16[] samples (audio only)
 */
export const PLAYBACK_FRAME_HEADER_BYTES = 24
export const PLAYBACK_FRAME_AUDIO = 1
export const PLAYBACK_FRAME_GONE = 2
export const PLAYBACK_FRAME_END = 3
const VERSION = 2
/** 200 ms at 48 kHz: far more than any decoded packet. */
export const MAX_PLAYBACK_FRAME_SAMPLES = 9600
export const MAX_PLAYBACK_FRAME_BYTES = PLAYBACK_FRAME_HEADER_BYTES + MAX_PLAYBACK_FRAME_SAMPLES * 2

export type PlaybackFrameKind = typeof PLAYBACK_FRAME_AUDIO | typeof PLAYBACK_FRAME_GONE | typeof PLAYBACK_FRAME_END

/** A parsed frame; reused by the parser, so valid until its next call. */
export class PlaybackFrameView {
  kind: PlaybackFrameKind = PLAYBACK_FRAME_AUDIO
  sampleRate = 0
  speakerLow = 0
  speakerHigh = 0
  sentAt = 0
  /** Samples start at this byte offset of the buffer. */
  samplesOffset = PLAYBACK_FRAME_HEADER_BYTES
  count = 0
}

/**
 * Writes a frame into `into` (at least the header plus the samples long); returns its length.
 * Nothing is allocated: main reuses one buffer for every frame (sends copy it).
 */
export function writePlaybackFrame(
  into: Uint8Array,
  kind: PlaybackFrameKind,
  speakerLow: number,
  speakerHigh: number,
  sampleRate: number,
  sentAt: number,
  samples: Int16Array | null,
  offset = 0,
  count = 0
): number {
  const view = new DataView(into.buffer, into.byteOffset, into.byteLength)
  view.setUint8(0, kind)
  view.setUint8(1, VERSION)
  view.setUint16(2, 0, true)
  view.setUint32(4, sampleRate, true)
  view.setUint32(8, speakerLow >>> 0, true)
  view.setUint32(12, speakerHigh >>> 0, true)
  view.setFloat64(16, sentAt, true)
  if (samples) {
    for (let i = 0; i < count; i++) {
      const s = samples[offset + i]!
      const at = PLAYBACK_FRAME_HEADER_BYTES + i * 2
      into[at] = s & 0xff
      into[at + 1] = (s >> 8) & 0xff
    }
  }
  return PLAYBACK_FRAME_HEADER_BYTES + (samples ? count * 2 : 0)
}

/** Checks a frame and fills `into`; false for anything that is not exactly one. Never throws. */
export function parsePlaybackFrame(buffer: ArrayBuffer, into: PlaybackFrameView): boolean {
  if (!(buffer instanceof ArrayBuffer)) return false
  return parsePlaybackFrameIn(new DataView(buffer), buffer.byteLength, into)
}

/**
 * The same, for a frame of `length` bytes at the start of `view` (a buffer made once and reused,
 * as the worklet reads frames out of its ring): allocates nothing.
 */
export function parsePlaybackFrameIn(view: DataView, length: number, into: PlaybackFrameView): boolean {
  if (length < PLAYBACK_FRAME_HEADER_BYTES || length > view.byteLength) return false
  if ((length - PLAYBACK_FRAME_HEADER_BYTES) % 2 !== 0) return false
  const kind = view.getUint8(0)
  if (kind !== PLAYBACK_FRAME_AUDIO && kind !== PLAYBACK_FRAME_GONE && kind !== PLAYBACK_FRAME_END) return false
  if (view.getUint8(1) !== VERSION || view.getUint16(2, true) !== 0) return false
  const sampleRate = view.getUint32(4, true)
  if (sampleRate < 8000 || sampleRate > 192000) return false
  const count = (length - PLAYBACK_FRAME_HEADER_BYTES) / 2
  if (count > MAX_PLAYBACK_FRAME_SAMPLES || (kind !== PLAYBACK_FRAME_AUDIO && count !== 0)) return false
  const sentAt = view.getFloat64(16, true)
  if (!Number.isFinite(sentAt)) return false
  into.kind = kind
  into.sampleRate = sampleRate
  into.speakerLow = view.getUint32(8, true)
  into.speakerHigh = view.getUint32(12, true)
  into.sentAt = sentAt
  into.count = count
  return true
}
