import { describe, expect, it } from 'vitest'
import { PushedPcmSource } from '../../../../src/main/engine/capture/pushed-pcm-source'
import { WavFileSource } from '../../../../src/main/engine/capture/wav-file-source'

describe('WavFileSource', () => {
  it('delivers audio as the clock says it was captured, then ends', () => {
    let now = 0
    const source = new WavFileSource(
      { sampleRate: 1000, samples: Int16Array.from({ length: 100 }, (_, i) => i) },
      () => now
    )
    const out = new Int16Array(64)
    expect(source.read(out)).toBe(0)
    now = 20
    expect(source.read(out)).toBe(20)
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 1, 2])
    now = 1000
    expect(source.read(out)).toBe(64)
    expect(out[0]).toBe(20)
    expect(source.ended).toBe(false)
    expect(source.read(out)).toBe(16)
    expect(source.ended).toBe(true)
    expect(source.read(out)).toBe(0)
  })

  it('discard skips what was captured while nobody listened; looping goes on forever', () => {
    let now = 0
    const source = new WavFileSource(
      { sampleRate: 1000, samples: Int16Array.from({ length: 10 }, (_, i) => i) },
      () => now,
      true
    )
    now = 25
    source.discard()
    now = 30
    const out = new Int16Array(10)
    expect(source.read(out)).toBe(5)
    expect(Array.from(out.subarray(0, 5))).toEqual([5, 6, 7, 8, 9])
    now = 33
    expect(source.read(out)).toBe(3)
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 1, 2])
    expect(source.ended).toBe(false)
  })
})

describe('PushedPcmSource', () => {
  it('is a FIFO that drops and counts the oldest audio when it overflows', () => {
    const source = new PushedPcmSource(10, 1)
    source.push(Int16Array.of(1, 2, 3, 4, 5, 6))
    source.push(Int16Array.of(7, 8, 9, 10, 11, 12))
    expect(source.overflowedSamples).toBe(2)
    const out = new Int16Array(4)
    expect(source.read(out)).toBe(4)
    expect(Array.from(out)).toEqual([3, 4, 5, 6])
    source.discard()
    expect(source.read(out)).toBe(0)
    source.push(Int16Array.of(42))
    expect(source.read(out)).toBe(1)
    expect(out[0]).toBe(42)
  })
})
