import { describe, expect, it } from 'vitest'
import { peakDbfs, rmsDbfs, SILENCE_DBFS } from '../../../../src/main/engine/audio/level'

describe('levels', () => {
  it('a full-scale square wave is 0 dBFS RMS and peak; half scale is about -6', () => {
    const square = Int16Array.from({ length: 480 }, (_, i) => (i % 2 ? 32767 : -32768))
    expect(rmsDbfs(square)).toBeCloseTo(0, 2)
    expect(peakDbfs(square)).toBeCloseTo(0, 2)
    const half = square.map((s) => s >> 1)
    expect(rmsDbfs(half)).toBeCloseTo(-6.02, 1)
  })

  it('a full-scale sine is -3 dBFS RMS', () => {
    const sine = Int16Array.from({ length: 4800 }, (_, i) =>
      Math.round(32767 * Math.sin((2 * Math.PI * 440 * i) / 48000))
    )
    expect(rmsDbfs(sine)).toBeCloseTo(-3.01, 1)
  })

  it('silence and empty ranges report the floor, not -Infinity', () => {
    expect(rmsDbfs(new Int16Array(100))).toBe(SILENCE_DBFS)
    expect(rmsDbfs(new Int16Array(0))).toBe(SILENCE_DBFS)
    expect(peakDbfs(new Int16Array(10))).toBe(SILENCE_DBFS)
  })

  it('measures only the range asked for', () => {
    const samples = new Int16Array(200)
    samples.fill(16384, 100)
    expect(rmsDbfs(samples, 0, 100)).toBe(SILENCE_DBFS)
    expect(rmsDbfs(samples, 100, 100)).toBeCloseTo(-6.02, 1)
  })
})
