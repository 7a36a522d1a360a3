import { defineConfig } from '@playwright/test'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from './tests/support/chromium'

// End-to-end tests against the built app (npm test builds it first): the browser host in
// Chromium, and the Electron shell where an Electron binary exists.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list'], ['json', { outputFile: '.test-reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumExecutable(), args: QUIET_CHROMIUM_ARGS },
    trace: 'retain-on-failure'
  }
})
