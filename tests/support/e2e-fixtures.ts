import { test as base } from '@playwright/test'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startHostProcess, type HostProcess } from './host-process'

export { expect } from '@playwright/test'

interface HostFixtures {
  /** A fresh folder for this test, removed after it (hosts keep their data in it). */
  dataDir: string
  /**
   * Starts a browser host (in `dataDir`, or `dir`); every host a test starts is stopped after it,
   * whatever the test did to it (stopped, crashed, paused).
   */
  startHost(args?: string[], options?: { dir?: string; env?: NodeJS.ProcessEnv }): Promise<HostProcess>
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
  }
})
