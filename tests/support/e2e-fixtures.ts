import { test as base } from '@playwright/test'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect, type Browser, type Page } from '@playwright/test'
import { startHostProcess, type HostProcess } from './host-process'
import { launchChromiumOn, startAudioDevices, type PulseAudio } from './pulse-audio'

export { expect }

interface HostFixtures {
  /** A fresh folder for this test, removed after it (hosts keep their data in it). */
  dataDir: string
  /**
   * Starts a browser host (in `dataDir`, or `dir`); every host a test starts is stopped after it,
   * whatever the test did to it (stopped, crashed, paused).
   */
  startHost(args?: string[], options?: { dir?: string; env?: NodeJS.ProcessEnv }): Promise<HostProcess>
  /**
   * Someone joining the room `page` shows, through its join code, as a browser host of their own
   * (in `dataDir`/`name`); resolves once the page shows them verified.
   */
  joinFromPage(page: Page, name: string): Promise<HostProcess>
  /** One browser host in `dataDir` with the defaults, for tests that need just one. */
  host: HostProcess
  /**
   * A private PulseAudio in `dataDir` (a speaker at `rate`, a microphone fed through `mic_bus`:
   * pulse-audio.ts) and a Chromium that plays to and records from it; both stopped after the test.
   */
  startAudio(rate?: number, extraModules?: string[]): Promise<{ pulse: PulseAudio; browser: Browser }>
}

export const test = base.extend<HostFixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
  startHost: async ({ dataDir }, use) => {
    const started: HostProcess[] = []
    await use(async (args = [], options = {}) => {
      const host = await startHostProcess(options.dir ?? dataDir, args, options.env ?? {})
      started.push(host)
      return host
    })
    for (const host of started) {
      host.resume()
      await host.stop()
    }
  },
  joinFromPage: async ({ dataDir, startHost }, use) => {
    await use(async (page, name) => {
      const joinCode = (await page.getByText(/Others join you at/).textContent())!.match(/\d+\.\d+\.\d+\.\d+:\d+/)![0]
      const member = await startHost(['--name', name, '--join', joinCode], {
        dir: path.join(dataDir, name.toLowerCase())
      })
      await expect(page.getByRole('listitem', { name: new RegExp(`^${name}, .*, verified$`) })).toBeVisible()
      return member
    })
  },
  host: async ({ startHost }, use) => {
    await use(await startHost())
  },
  startAudio: async ({ dataDir }, use) => {
    const started: Array<{ pulse: PulseAudio; browser: Browser | null }> = []
    await use(async (rate, extraModules) => {
      const devices: { pulse: PulseAudio; browser: Browser | null } = {
        pulse: await startAudioDevices(dataDir, rate, extraModules),
        browser: null
      }
      started.push(devices)
      devices.browser = await launchChromiumOn(devices.pulse)
      return { pulse: devices.pulse, browser: devices.browser }
    })
    for (const { pulse, browser } of started) {
      await browser?.close()
      await pulse.stop()
    }
  }
})
