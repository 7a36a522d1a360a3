import { expect, test } from '../support/e2e-fixtures'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

test('a sample-rate change made in the page survives a restart of the host', async ({ page, dataDir, startHost }) => {
  let host = await startHost()
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const sampleRate = page.getByRole('combobox', { name: 'Sample rate' })
  await expect(sampleRate).toHaveValue('optimal')

  await sampleRate.selectOption('48000')
  await expect(page.getByRole('status', { name: 'Saving' })).toHaveText('Saved')
  const saved = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'))
  expect(saved.settings.sampleRate).toBe(48000)

  // No Steam client on this machine: the status bar says LAN mode, and why.
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('LAN mode')
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('LAN mode: Steam is not running')
  // In words: no file path or exception text in the status bar (those are in Diagnostics).
  await expect(page.getByRole('contentinfo', { name: 'Status' })).not.toContainText('steamclient.so')
  await expect(page.getByRole('contentinfo', { name: 'Status' })).not.toContainText('Failed to load')

  expect(await host.stop()).toBe(0)
  host = await startHost()
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(sampleRate).toHaveValue('48000')
  await expect(page.getByRole('alert').filter({ hasText: 'settings' })).toHaveCount(0)
})

test('a corrupt settings file is kept aside, defaults are used, and the page says so', async ({
  page,
  dataDir,
  startHost
}) => {
  await writeFile(path.join(dataDir, 'settings.json'), '{"version":1,"settings":{"sampleRate":')
  const host = await startHost()
  await page.goto(host.url)
  // (Chromium here has no microphone, so the status bar raises an alert of its own too.)
  await expect(page.getByRole('alert').filter({ hasText: 'could not be read' })).toBeVisible()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('combobox', { name: 'Sample rate' })).toHaveValue('optimal')
  const files = await readdir(dataDir)
  expect(files.some((name) => /^settings\.json\.corrupt-/.test(name))).toBe(true)
  expect(files).not.toContain('settings.json')
})

test('the page runs under a strict CSP: injected inline script does not run', async ({ page, startHost }) => {
  const host = await startHost()
  await page.goto(host.url)
  await expect(page.getByRole('button', { name: 'Push to talk' })).toBeVisible()
  const ran = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true })
    )
    const script = document.createElement('script')
    script.textContent = 'window.__injected = true'
    document.body.append(script)
    return { injected: (window as { __injected?: boolean }).__injected ?? false, directive: await violation }
  })
  expect(ran).toEqual({ injected: false, directive: expect.stringMatching(/^script-src/) })
})
