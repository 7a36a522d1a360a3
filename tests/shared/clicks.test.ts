import { describe, expect, it } from 'vitest'
import { findOnsets, makeClickTrack, matchLatencies, percentile } from '../support/clicks'

// The measuring tools of the latency tests and benches, measured themselves.
describe('click-track latency', () => {
  it('finds every click of a track where it was put (to 0.1 ms), and none in the bed', () => {
    const track = makeClickTrack(48000, 5, 250, 3)
    const onsets = findOnsets(track.samples, 48000)
    expect(onsets).toHaveLength(track.clicks.length)
    onsets.forEach((onset, i) => expect(onset - track.clicks[i]!).toBeGreaterThanOrEqual(0))
    onsets.forEach((onset, i) => expect(onset - track.clicks[i]!).toBeLessThanOrEqual(4))
  })

  it('a copy delayed by 37.5 ms measures 37.5 ms for every click', () => {
    const track = makeClickTrack(48000, 5, 250, 4)
    const delayed = new Int16Array(track.samples.length + 1800)
    delayed.set(track.samples, 1800)
    const toMs = (samples: number[]) => samples.map((s) => (s * 1000) / 48000)
    const { latencies, missed } = matchLatencies(toMs(track.clicks), toMs(findOnsets(delayed, 48000)))
    expect(missed).toBe(0)
    expect(new Set(latencies.map((l) => Math.round(l * 10) / 10))).toEqual(new Set([37.5]))
    expect(percentile([3, 1, 2], 0.5)).toBe(2)
  })

  it('a click that never came out is counted missed, not matched to the next one', () => {
    const { latencies, missed } = matchLatencies([100, 350, 600], [130, 640], 200)
    expect(latencies).toEqual([30, 40])
    expect(missed).toBe(1)
  })
})
