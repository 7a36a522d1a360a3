import { describe, expect, it } from 'vitest'
import { PlayoutBuffer } from '../../src/shared/playout-buffer'

const RATE = 24000
const FRAME = RATE / 50 // 20 ms
const BLOCK = RATE / 200 // 5 ms, the headless peer's output block

/** A steady tone, sample n of it: what a talker sends, so cuts and gaps show in the output. */
const tone = (n: number, hz = 220) => Math.round(8000 * Math.cos((2 * Math.PI * hz * n) / RATE))

/**
 * A speaker sending 20 ms frames of a tone, delivered at `arrival(frame)` ms, played by an output
 * taking 5 ms blocks every 5 ms. Returns the output, and the queue level and target each block.
 */
function run(
  seconds: number,
  arrival: (frame: number) => number,
  buffer = new PlayoutBuffer(RATE, { blockSamples: BLOCK })
) {
  const frames = Math.floor((seconds * 1000) / 20)
  const frame = new Int16Array(FRAME)
  const out = new Float32Array(Math.round(seconds * RATE) + BLOCK)
  const levels: Array<{ at: number; level: number; target: number }> = []
  let next = 0
  for (let block = 0; block * BLOCK < out.length - BLOCK; block++) {
    const now = (block * BLOCK * 1000) / RATE
    while (next < frames && arrival(next) <= now) {
      for (let i = 0; i < FRAME; i++) frame[i] = tone(next * FRAME + i)
      buffer.push(frame, 0, FRAME, arrival(next))
      next++
    }
    levels.push({ at: now, level: buffer.bufferedMs, target: buffer.targetMs(now) })
    buffer.pull(out, block * BLOCK, BLOCK, now)
  }
  return { buffer, out, levels }
}

/** The largest step between neighbouring output samples while the tone plays (a click is a big one). */
function largestStep(out: Float32Array, from: number, to: number): number {
  let largest = 0
  for (let i = from + 1; i < to; i++)
    if (out[i] !== 0 && out[i - 1] !== 0) largest = Math.max(largest, Math.abs(out[i]! - out[i - 1]!))
  return largest
}
/** The tone's own largest step: 8000 × 2π × 220 / 24000. */
const TONE_STEP = (8000 * 2 * Math.PI * 220) / RATE

describe('PlayoutBuffer', () => {
  it('on a clean link holds one block plus a 5 ms margin, and plays the stream unchanged', () => {
    const { buffer, out, levels } = run(3, (frame) => 20 + frame * 20)
    expect(buffer.underruns).toBe(0)
    expect(buffer.cutSamples).toBe(0)
    // What waits ahead of each new packet is the target: a 5 ms block and a 5 ms margin.
    expect(buffer.queueAheadMs).toBeCloseTo(10, 5)
    expect(levels.at(-1)!.target).toBeCloseTo(10, 5)
    expect(Math.min(...levels.filter((l) => l.at > 1000).map((l) => l.level))).toBeGreaterThanOrEqual(10)
    // Every sample comes out, in order, 10 ms (the target) after it arrived.
    const start = out.findIndex((v) => v !== 0)
    expect(start).toBe(Math.round(0.03 * RATE))
    for (let i = 0; i < RATE; i++) expect(out[start + i]).toBe(tone(i) + 0)
  })

  it('after a 200 ms stall, comes back to its target within a second, without a click', () => {
    // Frames 50..59 stall 200 ms (a Wi-Fi hiccup), then arrive together.
    const stalled = (frame: number) => (frame >= 50 && frame < 60 ? 20 + 60 * 20 : 20 + frame * 20)
    const { buffer, out, levels } = run(4, stalled)
    const burst = 20 + 60 * 20
    const after = levels.filter((l) => l.at >= burst)
    expect(after[0]!.level).toBeGreaterThan(190)
    // Back to at most the target plus the frame just arrived (plus the hysteresis).
    const back = after.find((l) => l.level <= l.target + 20 + 5)!
    expect(back.at - burst).toBeLessThanOrEqual(1000)
    expect(levels.filter((l) => l.at > back.at + 100).every((l) => l.level <= l.target + 20 + 5)).toBe(true)
    expect(buffer.underruns).toBe(1)
    // The cuts joined the tone in phase: no step bigger than the tone's own (plus rounding).
    expect(
      largestStep(out, Math.round((burst / 1000) * RATE), Math.round(((burst + 1000) / 1000) * RATE))
    ).toBeLessThan(TONE_STEP * 1.15)
  })

  it('cuts a burst of silence at once', () => {
    // Quiet frames (a word's tail, room noise) stall 200 ms and arrive all at once.
    const buffer = new PlayoutBuffer(RATE, { blockSamples: BLOCK })
    const frame = new Int16Array(FRAME)
    const levels: Array<{ level: number; target: number }> = []
    let next = 0
    const arrival = (f: number) => (f >= 50 && f < 60 ? 20 + 60 * 20 : 20 + f * 20)
    for (let now = 0; now < 2000; now += 5) {
      while (next < 100 && arrival(next) <= now) {
        frame.fill(next >= 30 && next < 80 ? 50 : 3000)
        buffer.push(frame, 0, FRAME, arrival(next++))
      }
      if (now >= 1220) levels.push({ level: buffer.bufferedMs, target: buffer.targetMs(now) })
      buffer.pull(null, 0, BLOCK, now)
    }
    // The silence went in a few cuts of up to 50 ms, within half a second of its arrival.
    expect(buffer.cutSamples).toBeGreaterThan(0.1 * RATE)
    expect(levels.slice(100).every((l) => l.level <= l.target + 20 + 5)).toBe(true)
  })

  it('adapts to a jittery link: after the first underruns, no more', () => {
    let seed = 7
    const jitter = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 15
    const arrivals = Array.from({ length: 400 }, (_, frame) => 20 + frame * 20 + jitter())
    const { buffer, levels } = run(8, (frame) => arrivals[frame]!)
    const early = buffer.underruns
    const { buffer: again } = run(8, (frame) => arrivals[frame]!, buffer)
    expect(again.underruns - early).toBeLessThanOrEqual(1)
    expect(levels.at(-1)!.target).toBeGreaterThan(12)
    expect(buffer.jitterMs).toBeGreaterThan(2)
  })

  it('does not play a pause twice: silence arriving after it ran dry is skipped, and is not an underrun', () => {
    const buffer = new PlayoutBuffer(1000, { blockSamples: 5 })
    const mix = new Float32Array(300)
    buffer.push(new Int16Array(20).fill(500), 0, 20, 0)
    for (let now = 0; now < 220; now += 5) buffer.pull(mix, 0, 5, now)
    const resumed = new Int16Array(220)
    resumed.fill(500, 200) // the sender's 200 ms silence run, then speech
    buffer.push(resumed, 0, 220, 220)
    expect(buffer.underruns).toBe(0)
    expect(buffer.bufferedMs).toBe(10 + 20) // the target (block and margin), then the speech
  })

  it('after an underrun asks for as much more margin as it ran dry (up to 10 ms), wearing off at 1 ms a second', () => {
    const buffer = new PlayoutBuffer(1000, { blockSamples: 5 })
    const mix = new Float32Array(100)
    const base = buffer.targetMs(0)
    // Running dry mid-sentence twice: audio comes back with no pause before it.
    // It runs dry for 3 ms, then (later) for 50.
    buffer.push(new Int16Array(20).fill(500), 0, 20, 0)
    for (let now = 0; now < 40; now += 5) buffer.pull(mix, 0, 5, now)
    buffer.push(new Int16Array(20).fill(500), 0, 20, 33)
    expect(buffer.underruns).toBe(1)
    expect(buffer.targetMs(33) - base).toBeCloseTo(4, 0) // 3 ms dry, and a millisecond
    for (let now = 40; now < 200; now += 5) buffer.pull(mix, 0, 5, now)
    buffer.push(new Int16Array(20).fill(500), 0, 20, 230)
    expect(buffer.underruns).toBe(2)
    expect(buffer.targetMs(230) - base).toBeCloseTo(4 - 0.2 + 10, 0) // an outage asks for 10 at most
    expect(buffer.targetMs(10_230) - buffer.targetMs(230)).toBeCloseTo(-10, 0)
    expect(buffer.targetMs(100_000)).toBeCloseTo(base, 5)
  })

  it('applies gain, for per-member volume and mute', () => {
    const buffer = new PlayoutBuffer(1000, { blockSamples: 5 })
    buffer.gain = 0.5
    buffer.push(new Int16Array(20).fill(1000), 0, 20, 0)
    const mix = new Float32Array(30)
    buffer.pull(mix, 0, 30, 0)
    expect(mix[10]).toBe(500)
  })
})
