import { expect, test } from '@playwright/test'
import {
  allocationsPerSecond,
  bundlePlaybackWorklet,
  installWorklet,
  playQuanta,
  speakerFrames
} from '../support/worklet-harness'

const RATE = 48000

// The audio thread's process() runs every 2.67 ms; any garbage it makes is a GC pause there one
// day, heard as a click. Counted with V8's sampling heap profiler (objects later collected
// included), over 8 speakers, some resampled from 24 kHz: every path of the mix is exercised.
test('the playback worklet’s process() makes next to no garbage while it plays 8 speakers', async ({ page }) => {
  await installWorklet(page, await bundlePlaybackWorklet(), RATE)
  const frames = speakerFrames(8, (i) => (i % 2 ? 24000 : RATE))
  // Every speaker's frames are as long as 20 ms at the device's rate; the harness feeds by that.
  const frameSamples = (RATE * 20) / 1000
  const second = RATE / 128
  await playQuanta(page, frames, frameSamples, 8 * second) // warm: JIT tiers, report buffers, resamplers
  // The median of three windows: V8 re-tiers the code now and then, and a window holding that
  // burst says more about the JIT than about process().
  const windows = []
  for (let i = 0; i < 3; i++) {
    windows.push(await allocationsPerSecond(page, () => playQuanta(page, frames, frameSamples, 3 * second), 3))
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[1]!
  const quantum = median(windows.map((w) => w.quantum))
  const report = median(windows.map((w) => w.report))
  console.log(
    `process(): ${windows.map((w) => Math.round(w.quantum)).join(', ')} bytes a second of audio on its own path, ` +
      `${windows.map((w) => Math.round(w.report)).join(', ')} in its reports (3 s windows)`
  )
  // Before this path was reworked it made over 200,000 bytes a second (a float boxed per call,
  // the cut search's scores, the wall clock read every quantum). One 12-byte number per speaker
  // per quantum would be 36,000. What is left is small and comes in bursts while V8 re-tiers the
  // code (0.2 to 5 KB a second over 3 s windows), besides the wall clock read for 16 quanta in
  // 512 to watch the device's bursts.
  expect(quantum).toBeLessThan(16384)
  // 20 reports a second (not per quantum): code that runs that seldom stays in V8's baseline tiers,
  // which box every float they touch. A few KB a second, a fifth of what the frames' own
  // messages cost (structured clones); one scavenge of a tiny heap every minute or two.
  expect(report).toBeLessThan(16384)
})
