/**
 * Microphone PCM on its way from the capture worklet to main, as one binary message: the same
 * bytes over Electron's MessagePort and the browser host's WebSocket. Never through the page's
 * main thread, which a busy or background page stalls for hundreds of ms.
 *
 *   0  u8   kind (1: audio)
 *   1  u8   version (1)
 *   2  u16  reserved (0)
 *   4  u32  sample rate
 *   8  i16[] samples
 */
export const CAPTURE_FRAME_HEADER_BYTES = 8
/** At most 200 ms at 48 kHz in one frame: the worklet sends 20 ms. */
export const MAX_CAPTURE_FRAME_SAMPLES = 9600
const KIND_AUDIO = 1
const VERSION = 1

/** Writes the header into a frame buffer whose samples start at CAPTURE_FRAME_HEADER_BYTES. */
export function writeCaptureHeader(buffer: ArrayBuffer, sampleRate: number): void {
  const view = new DataView(buffer)
  view.setUint8(0, KIND_AUDIO)
  view.setUint8(1, VERSION)
  view.setUint16(2, 0, true)
  view.setUint32(4, sampleRate, true)
}

/** A parsed capture frame, reused: valid until the next parse. */
export class CaptureFrameView {
  sampleRate = 0
  count = 0
  readonly samples = new Int16Array(MAX_CAPTURE_FRAME_SAMPLES)
}

/**
 * Checks a capture frame and copies its samples into `into`; false for anything that is not one.
 * Copied because a Uint8Array from a socket may sit at an odd offset in a shared buffer; into a
 * view the caller reuses, so a frame allocates nothing.
 */
export function parseCaptureFrame(bytes: ArrayBuffer | Uint8Array, into: CaptureFrameView): boolean {
  const view =
    bytes instanceof ArrayBuffer
      ? new DataView(bytes)
      : bytes instanceof Uint8Array
        ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : null
  if (!view) return false
  const length = view.byteLength
  if (length < CAPTURE_FRAME_HEADER_BYTES + 2 || (length - CAPTURE_FRAME_HEADER_BYTES) % 2 !== 0) return false
  if (view.getUint8(0) !== KIND_AUDIO || view.getUint8(1) !== VERSION || view.getUint16(2, true) !== 0) return false
  const sampleRate = view.getUint32(4, true)
  if (sampleRate < 8000 || sampleRate > 192000) return false
  const count = (length - CAPTURE_FRAME_HEADER_BYTES) / 2
  if (count > MAX_CAPTURE_FRAME_SAMPLES) return false
  const samples = into.samples
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(CAPTURE_FRAME_HEADER_BYTES + i * 2, true)
  into.sampleRate = sampleRate
  into.count = count
  return true
}
