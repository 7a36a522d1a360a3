import { CAPTURE_FRAME_HEADER_BYTES, writeCaptureHeader } from '../../src/shared/capture-frame'

/** `samples` as one capture frame, as the capture worklet sends it. */
export function captureFrame(sampleRate: number, samples: Int16Array): ArrayBuffer {
  const buffer = new ArrayBuffer(CAPTURE_FRAME_HEADER_BYTES + samples.length * 2)
  writeCaptureHeader(buffer, sampleRate)
  new Int16Array(buffer, CAPTURE_FRAME_HEADER_BYTES).set(samples)
  return buffer
}
