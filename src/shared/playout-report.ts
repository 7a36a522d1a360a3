/**
 * The playback worklet telling main how its queues stand, as one binary message back along the
 * frames' own route (Electron's MessagePort, or the browser host's playback WebSocket): main's
 * speaker streams read the real fill level from here, not from a copy they keep themselves.
 *
 *   0  u8   kind (4: report)
 *   1  u8   version (1)
 *   2  u16  speakers in the report (n)
 *   4  f32  the output's own latency (ms): the AudioContext's base plus output latency
 *   8  u32  frames the worklet refused (malformed, or for no speaker)
 *   12 then n × 36 bytes:
 *        u64 speaker, f32 level (ms queued now), f32 ahead (ms queued ahead of the last push),
 *        f32 transit (ms from main to the worklet), f32 target (ms), f32 jitter (ms),
 *        u32 underruns, f32 cut (ms)
 */
export const PLAYOUT_REPORT_KIND = 4
const VERSION = 1
const HEADER_BYTES = 12
const SPEAKER_BYTES = 36
export const MAX_REPORTED_SPEAKERS = 64
export const MAX_PLAYOUT_REPORT_BYTES = HEADER_BYTES + MAX_REPORTED_SPEAKERS * SPEAKER_BYTES

/** The size of a report on `speakers` speakers. */
export const playoutReportBytes = (speakers: number): number => HEADER_BYTES + speakers * SPEAKER_BYTES

export interface SpeakerPlayout {
  speakerLow: number
  speakerHigh: number
  levelMs: number
  aheadMs: number
  transitMs: number
  targetMs: number
  jitterMs: number
  underruns: number
  cutMs: number
}

export interface PlayoutReport {
  outputLatencyMs: number
  refused: number
  speakers: SpeakerPlayout[]
}

/**
 * Writes a report on `count` speakers into `view` (exactly playoutReportBytes(count) long), asking
 * `speaker` to fill `scratch` for each: from the worklet, with no allocation.
 */
export function writePlayoutReport(
  view: DataView,
  outputLatencyMs: number,
  refused: number,
  count: number,
  speaker: (index: number, out: SpeakerPlayout) => void,
  scratch: SpeakerPlayout
): number {
  view.setUint8(0, PLAYOUT_REPORT_KIND)
  view.setUint8(1, VERSION)
  view.setUint16(2, count, true)
  view.setFloat32(4, outputLatencyMs, true)
  view.setUint32(8, refused >>> 0, true)
  for (let i = 0; i < count; i++) {
    speaker(i, scratch)
    const at = HEADER_BYTES + i * SPEAKER_BYTES
    view.setUint32(at, scratch.speakerLow >>> 0, true)
    view.setUint32(at + 4, scratch.speakerHigh >>> 0, true)
    view.setFloat32(at + 8, scratch.levelMs, true)
    view.setFloat32(at + 12, scratch.aheadMs, true)
    view.setFloat32(at + 16, scratch.transitMs, true)
    view.setFloat32(at + 20, scratch.targetMs, true)
    view.setFloat32(at + 24, scratch.jitterMs, true)
    view.setUint32(at + 28, scratch.underruns >>> 0, true)
    view.setFloat32(at + 32, scratch.cutMs, true)
  }
  return HEADER_BYTES + count * SPEAKER_BYTES
}

/** The report, or null for anything that is not exactly one (sizes, kinds, numbers in range). */
export function parsePlayoutReport(bytes: ArrayBuffer | Uint8Array): PlayoutReport | null {
  const view =
    bytes instanceof ArrayBuffer
      ? new DataView(bytes)
      : bytes instanceof Uint8Array
        ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : null
  if (!view || view.byteLength < HEADER_BYTES) return null
  if (view.getUint8(0) !== PLAYOUT_REPORT_KIND || view.getUint8(1) !== VERSION) return null
  const count = view.getUint16(2, true)
  if (count > MAX_REPORTED_SPEAKERS || view.byteLength !== HEADER_BYTES + count * SPEAKER_BYTES) return null
  const sane = (value: number, max: number) => Number.isFinite(value) && value >= 0 && value <= max
  const outputLatencyMs = view.getFloat32(4, true)
  if (!sane(outputLatencyMs, 10_000)) return null
  const speakers: SpeakerPlayout[] = []
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * SPEAKER_BYTES
    const speaker: SpeakerPlayout = {
      speakerLow: view.getUint32(at, true),
      speakerHigh: view.getUint32(at + 4, true),
      levelMs: view.getFloat32(at + 8, true),
      aheadMs: view.getFloat32(at + 12, true),
      transitMs: view.getFloat32(at + 16, true),
      targetMs: view.getFloat32(at + 20, true),
      jitterMs: view.getFloat32(at + 24, true),
      underruns: view.getUint32(at + 28, true),
      cutMs: view.getFloat32(at + 32, true)
    }
    const { levelMs, aheadMs, transitMs, targetMs, jitterMs, cutMs } = speaker
    if (![levelMs, aheadMs, targetMs, jitterMs].every((v) => sane(v, 10_000)) || !sane(cutMs, 1e12)) return null
    if (!Number.isFinite(transitMs) || Math.abs(transitMs) > 10_000) return null
    speakers.push(speaker)
  }
  return { outputLatencyMs, refused: view.getUint32(8, true), speakers }
}
