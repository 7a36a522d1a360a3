import { _electron as electron, type ElectronApplication } from '@playwright/test'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { findElectronBinary } from '../support/electron-binary'
import { callHost } from '../support/host-contract'
import { expect, test } from '../support/e2e-fixtures'
import { REPO_ROOT } from '../support/temp-dir'

const binary = findElectronBinary()
test.skip(binary.path === null, `Electron shell: ${binary.reason}`)

let dataDir: string
test.beforeEach(({ dataDir: dir }) => {
  dataDir = dir
})

function launch(...extra: string[]): Promise<ElectronApplication> {
  const args = [REPO_ROOT, `--data-dir=${dataDir}`, ...extra]
  // Chromium's OS sandbox refuses to run as root (CI runs as root); the renderer sandbox stays on.
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  // The system's config folder (autostart entries) in the test's own folder, never the user's.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(dataDir, 'config') } as Record<string, string>
  return electron.launch({ executablePath: binary.path!, args, env })
}

test('the Electron window is isolated and sandboxed, and a sample-rate change survives a restart', async () => {
  let app = await launch()
  let page = await app.firstWindow()
  // What the page can see: no Node, and an API that only exists through contextBridge (which
  // needs context isolation). The options themselves are unit-tested in window-security.test.ts.
  const seen = await page.evaluate(() => ({
    require: typeof (window as { require?: unknown }).require,
    process: typeof (window as { process?: unknown }).process,
    bridged: String((window as { parley?: { invoke: unknown } }).parley?.invoke)
  }))
  expect(seen).toEqual({
    require: 'undefined',
    process: 'undefined',
    bridged: expect.stringContaining('[native code]')
  })
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(
    "script-src 'self'"
  )

  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('combobox', { name: 'Sample rate' }).selectOption('44100')
  await expect(page.getByRole('status', { name: 'Saving' })).toHaveText('Saved')
  // Main's MessagePort reached the playback worklet: the player reports at the new rate.
  await page.getByRole('button', { name: 'Diagnostics' }).click()
  await expect(page.getByText('Playback at 44,100 Hz')).toBeVisible()
  await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 30, width: 900, height: 640 })
  )
  await page.waitForTimeout(800)
  await app.close()

  app = await launch()
  page = await app.firstWindow()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('combobox', { name: 'Sample rate' })).toHaveValue('44100')
  const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds())
  expect(bounds).toMatchObject({ width: 900, height: 640 })
  await app.close()
})

test('closing the window keeps Parley in the tray; a second launch brings it back instead of starting another', async () => {
  const app = await launch()
  const page = await app.firstWindow()
  await expect(page.getByRole('heading', { name: 'Room' })).toBeVisible()
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close())
  await page.waitForTimeout(300)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([
    false
  ])
  // A second copy exits at once and the first shows its window again.
  const second = await launch()
  await second.waitForEvent('close')
  await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible())).toBe(true)
  await app.close()
})

test('start on login writes the system’s autostart entry, and removing the option removes it', async () => {
  test.skip(process.platform !== 'linux', 'the Linux autostart entry; macOS and Windows use the login items API')
  const app = await launch()
  const page = await app.firstWindow()
  await page.getByRole('button', { name: 'Settings' }).click()
  const option = page.getByRole('checkbox', { name: 'Start Parley when I log in' })
  await option.check()
  const entry = path.join(dataDir, 'config', 'autostart', 'parley.desktop')
  await expect
    .poll(() =>
      stat(entry).then(
        () => true,
        () => false
      )
    )
    .toBe(true)
  await option.uncheck()
  await expect
    .poll(() =>
      stat(entry).then(
        () => true,
        () => false
      )
    )
    .toBe(false)
  await app.close()
})

test('an invite link on the command line (as the system passes parley://join/…) joins that room', async ({
  startHost
}) => {
  const bea = await startHost(['--name', 'Bea'], { dir: path.join(dataDir, 'bea') })
  const { joinCode } = await callHost<{ joinCode: string }>(bea.url, 'room:get')
  const app = await launch(`parley://join/${encodeURIComponent(joinCode)}`)
  const page = await app.firstWindow()
  await expect(page.getByRole('listitem', { name: /^Bea, .*, verified$/ })).toBeVisible({ timeout: 15_000 })
  await app.close()
})
