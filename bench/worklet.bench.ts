// `npm run bench -- --only worklet`: the playback worklet's process() in Chromium with 1, 8 and 32
// speakers: its time as a share of the render quantum's budget, and what it allocates. The
// worklet is bundled from source and run under a stand-in scope (tests/support/worklet-harness.ts)
// so each call can be timed and profiled; the real audio thread has neither a clock nor a profiler.
import { chromium } from '@playwright/test'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from '../tests/support/chromium'
import {
  allocationsPerSecond,
  bundlePlaybackWorklet,
  installWorklet,
  playQuanta,
  speakerFrames
} from '../tests/support/worklet-harness'

const DEVICE_RATE = 48000
const QUANTUM_BUDGET_US = (128 / DEVICE_RATE) * 1e6
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

const source = await bundlePlaybackWorklet()
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_CHROMIUM_ARGS })
try {
  // Main decodes at 48 kHz (no resample here) or at Steam's 24 kHz (the path's one resample, here).
  for (const decodedAt of [48000, 24000]) {
    for (const speakers of [1, 8, 32]) {
      const page = await browser.newPage()
      await installWorklet(page, source, DEVICE_RATE)
      const frames = speakerFrames(speakers, () => decodedAt)
      const frameSamples = (DEVICE_RATE * 20) / 1000
      const second = DEVICE_RATE / 128
      await playQuanta(page, frames, frameSamples, 6 * second) // JIT warm-up: V8 optimises in tiers
      const times = (await playQuanta(page, frames, frameSamples, 5 * second)).sort((a, b) => a - b)
      const allocated = await allocationsPerSecond(page, () => playQuanta(page, frames, frameSamples, 3 * second), 3)
      const isolated = await page.evaluate(() => crossOriginIsolated)
      await page.close()
      const meanUs = (times.reduce((a, b) => a + b, 0) / times.length) * 1000
      console.log(
        JSON.stringify({
          figure: 'worklet-process',
          decodedAt,
          speakers,
          deviceRate: DEVICE_RATE,
          isolated,
          meanUs: round(meanUs),
          p99Us: round(times[Math.floor(times.length * 0.99)]! * 1000),
          percentOfBudget: round((meanUs / QUANTUM_BUDGET_US) * 100, 2),
          bytesPerSecond: { quantumPath: round(allocated.quantum, 0), reports: round(allocated.report, 0) }
        })
      )
    }
  }
} finally {
  await browser.close()
}
