import { describe, expect, it } from 'vitest'
import { bestCut, crossfadeCut, isQuiet } from '../../src/shared/time-stretch'

const RATE = 24000
const tone = (length: number, hz: number, amplitude = 8000) =>
  Int16Array.from({ length }, (_, n) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / RATE)))

describe('time stretch', () => {
  it('finds the longest cut that is a whole number of periods of a tone', () => {
    const ring = tone(4800, 200) // a period is 120 samples
    expect(Math.abs(bestCut(ring, 0, 120, 60, 250) - 240)).toBeLessThanOrEqual(2)
    expect(Math.abs(bestCut(ring, 37, 120, 60, 200) - 120)).toBeLessThanOrEqual(2)
    // No whole period within reach: better not to cut.
    expect(bestCut(ring, 0, 120, 60, 100)).toBe(-1)
  })

  it('cuts a tone without a step: the join is as smooth as the tone itself', () => {
    const ring = tone(4800, 200)
    const cut = bestCut(ring, 1000, 120, 60, 250)
    crossfadeCut(ring, 1000, cut, 120)
    // Play on from before the cut, then skip it.
    const played = [...ring.subarray(900, 1000), ...ring.subarray(1000 + cut, 1400)]
    const largestStep = Math.max(...played.slice(1).map((v, i) => Math.abs(v - played[i]!)))
    expect(largestStep).toBeLessThanOrEqual(((8000 * 2 * Math.PI * 200) / RATE) * 1.05)
  })

  it('a cut shorter than the cross-fade still reads only what it has not written', () => {
    const ring = tone(4800, 240) // a period is 100 samples
    crossfadeCut(ring, 0, 100, 240)
    const played = [...ring.subarray(100, 400)]
    const largestStep = Math.max(...played.slice(1).map((v, i) => Math.abs(v - played[i]!)))
    expect(largestStep).toBeLessThanOrEqual(Math.ceil((8000 * 2 * Math.PI * 240) / RATE) + 2)
  })

  it('tells silence (and room noise) from speech', () => {
    expect(isQuiet(new Int16Array(480).fill(40), 0, 480, 100)).toBe(true)
    expect(isQuiet(tone(480, 200, 300), 0, 480, 100)).toBe(false)
  })
})
