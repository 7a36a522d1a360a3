/**
 * One speaker's decoded PCM on its way from main to the playback worklet, as one binary
 * message: the same bytes over Electron's MessagePort and the browser host's WebSocket.
 *
 *   0  u8   kind (1: audio, 2: the speaker left)
 *   1  u8   version (1)
 *   2  u16  target delay in ms (the jitter buffer's, for this speaker now)
 *   4  u32  sample rate
 *   8  u64  speaker SteamID64
 *   16 i16[] samples (audio only)
 */
export const PLAYBACK_FRAME_HEADER_BYTES = 16
export const PLAYBACK_FRAME_AUDIO = 1
export const PLAYBACK_FRAME_GONE = 2
const VERSION = 1
/** 200 ms at 48 kHz: far more than any decoded packet. */
export const MAX_PLAYBACK_FRAME_SAMPLES = 9600

export interface PlaybackFrame {
  kind: typeof PLAYBACK_FRAME_AUDIO | typeof PLAYBACK_FRAME_GONE
  targetMs: number
  sampleRate: number
  /** SteamID64 in decimal, as the room names members. */
  speaker: string
  samples: Int16Array
}

/** A new buffer holding the frame (it is sent or transferred, so it cannot be reused). */
export function encodePlaybackFrame(
  kind: PlaybackFrame['kind'],
  speaker: bigint,
  sampleRate: number,
  targetMs: number,
  samples: Int16Array | null,
  count = samples?.length ?? 0
): ArrayBuffer {
  const buffer = new ArrayBuffer(PLAYBACK_FRAME_HEADER_BYTES + count * 2)
  const view = new DataView(buffer)
  view.setUint8(0, kind)
  view.setUint8(1, VERSION)
  view.setUint16(2, Math.max(0, Math.min(65535, Math.round(targetMs))), true)
  view.setUint32(4, sampleRate, true)
  view.setBigUint64(8, speaker, true)
  if (samples && count > 0) new Int16Array(buffer, PLAYBACK_FRAME_HEADER_BYTES, count).set(samples.subarray(0, count))
  return buffer
}

/** The frame, or null for anything that is not one (wrong size, kind, version or rate). */
export function decodePlaybackFrame(buffer: ArrayBuffer): PlaybackFrame | null {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < PLAYBACK_FRAME_HEADER_BYTES) return null
  if ((buffer.byteLength - PLAYBACK_FRAME_HEADER_BYTES) % 2 !== 0) return null
  const view = new DataView(buffer)
  const kind = view.getUint8(0)
  if ((kind !== PLAYBACK_FRAME_AUDIO && kind !== PLAYBACK_FRAME_GONE) || view.getUint8(1) !== VERSION) return null
  const sampleRate = view.getUint32(4, true)
  if (sampleRate < 8000 || sampleRate > 192000) return null
  const count = (buffer.byteLength - PLAYBACK_FRAME_HEADER_BYTES) / 2
  if (count > MAX_PLAYBACK_FRAME_SAMPLES || (kind === PLAYBACK_FRAME_GONE && count !== 0)) return null
  return {
    kind,
    targetMs: view.getUint16(2, true),
    sampleRate,
    speaker: view.getBigUint64(8, true).toString(),
    samples: new Int16Array(buffer, PLAYBACK_FRAME_HEADER_BYTES, count)
  }
}
