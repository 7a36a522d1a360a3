import { OpusDecoder, OpusEncoder } from './opus-wasm'
import { StreamResampler } from './speex-resampler'

/** A second of voice through each codec path: enough for the wasm engine to compile it fully. */
const WARM_UP_FRAMES = 50

/**
 * Runs the codecs once, on throwaway instances, before anyone talks. Measured: without it, the
 * first take after a host started blocked the event loop for about 0.6 s (first pump tick 587
 * ms late, a pump call taking 85 ms), and the listener got that take in bursts. Returns the ms
 * it took.
 */
export function warmUpVoiceCodecs(): number {
  const started = performance.now()
  const resampler = new StreamResampler(48000, 24000, 960)
  const encoder = new OpusEncoder(24000, { packetLossPercent: 10 })
  const decoder = new OpusDecoder(24000)
  const input = new Int16Array(960)
  const frame = new Int16Array(480)
  let seed = 1
  try {
    for (let i = 0; i < WARM_UP_FRAMES; i++) {
      for (let j = 0; j < input.length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        input[j] = ((seed >> 16) & 0x3fff) - 0x2000
      }
      const produced = resampler.process(input, 0, input.length)
      frame.set(resampler.heap().subarray(resampler.outputOffset(), resampler.outputOffset() + Math.min(480, produced)))
      const length = encoder.encode(frame)
      decoder.decode(encoder.packet(), 0, length)
      if (i % 10 === 9) decoder.conceal()
    }
  } finally {
    resampler.free()
    encoder.free()
    decoder.free()
  }
  return performance.now() - started
}
