import { describe, expect, it } from 'vitest'
import { CubicResampler } from '../../src/shared/cubic-resampler'

/** A tone at `hz` sampled at `rate`, from sample `from`. */
const tone = (rate: number, hz: number, length: number, from = 0) =>
  Int16Array.from({ length }, (_, n) => Math.round(10000 * Math.sin((2 * Math.PI * hz * (n + from)) / rate)))

/** Signal-to-error ratio (dB) of `got` against `want`. */
function snr(want: Int16Array, got: Int16Array): number {
  let signal = 0
  let error = 0
  for (let i = 0; i < want.length; i++) {
    signal += want[i]! * want[i]!
    error += (want[i]! - got[i]!) ** 2
  }
  return 10 * Math.log10(signal / Math.max(1, error))
}

describe('CubicResampler', () => {
  it.each([
    [24000, 48000, 1000],
    [24000, 44100, 3000],
    [48000, 44100, 5000],
    [12000, 11025, 1000],
    [24000, 22050, 2000]
  ])('%i → %i Hz keeps a %i Hz tone clean (above 40 dB), fed in uneven pieces', (from, to, hz) => {
    const resampler = new CubicResampler(from, to)
    const input = tone(from, hz, from) // one second
    const out = new Int16Array(resampler.maxOutput(input.length) + 10)
    let written = 0
    for (let at = 0, piece = 7; at < input.length; at += piece, piece = (piece * 3) % 500 || 11) {
      const count = Math.min(piece, input.length - at)
      written += resampler.process(input, at, count, out, written)
    }
    // Output sample k is input time k·(from/to), two input samples late.
    const expected = Int16Array.from({ length: written }, (_, k) =>
      Math.round(10000 * Math.sin((2 * Math.PI * hz * k * (from / to)) / from))
    )
    expect(written).toBeGreaterThan(to - 10)
    expect(snr(expected.subarray(10), out.subarray(10, written))).toBeGreaterThan(40)
  })

  it('resets to a fresh stream: nothing of the old one leaks into the new', () => {
    const used = new CubicResampler(24000, 44100)
    const fresh = new CubicResampler(24000, 44100)
    const scratch = new Int16Array(2000)
    used.process(tone(24000, 500, 333), 0, 333, scratch, 0)
    used.reset()
    const input = tone(24000, 700, 480)
    const a = new Int16Array(1000)
    const b = new Int16Array(1000)
    const count = used.process(input, 0, 480, a, 0)
    expect(fresh.process(input, 0, 480, b, 0)).toBe(count)
    expect(Array.from(a.subarray(0, count))).toEqual(Array.from(b.subarray(0, count)))
  })
})
