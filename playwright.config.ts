import { defineConfig } from '@playwright/test'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from './tests/support/chromium'

// End-to-end tests against the built app (npm test builds it first): the browser host in
// Chromium, and the Electron shell where an Electron binary exists.
const REAL_TIME_AUDIO =
  /(voice-call|playback-worklet|mic-test|noise-suppression|voice-activation|sounds|app-microphone|quiet-room)\.spec\.ts$/

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  // PLAYWRIGHT_JSON_OUTPUT_NAME (set by scripts/test-all.mjs) overrides the JSON file per run.
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? '.test-reports/playwright.json' }]
  ],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumExecutable(), args: QUIET_CHROMIUM_ARGS },
    trace: 'retain-on-failure'
  },
  projects: [
    { name: 'app', testIgnore: REAL_TIME_AUDIO },
    // Real-time audio: between two hosts and two pages, the worklet played in real time under a
    // profiler, and what real PulseAudio devices hear (the mic test, voice activation, cues).
    // npm test runs this project on its own, after the rest (scripts/test-all.mjs), one test
    // after another: on 2 cores, load changes what they measure.
    { name: 'call', testMatch: REAL_TIME_AUDIO, fullyParallel: false }
  ]
})
