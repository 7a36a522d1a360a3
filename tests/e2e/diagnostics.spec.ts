import { expect, test } from '../support/e2e-fixtures'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { IDENTITY_FILE_NAME } from '../../src/main/engine/auth/lan-identity'
import { redactSecrets } from '../../src/main/engine/logging/redact-secrets'
import { screenshot } from '../support/screenshots'

test('Copy diagnostics gives a report a player can paste, the logs are where it says, and neither holds a key', async ({
  page,
  context,
  dataDir: dir,
  startHost,
  joinFromPage
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const ada = await startHost(['--name', 'Ada'], { dir: path.join(dir, 'ada') })
  await page.goto(ada.url)
  // A member who proves who they are with keys and a signed ticket: what must never be logged.
  const bea = await joinFromPage(page, 'Bea')

  await page.getByRole('button', { name: 'Diagnostics' }).click()
  await page.getByRole('button', { name: 'Copy diagnostics' }).click()
  await expect(page.getByRole('status', { name: 'Diagnostics' })).toHaveText('Copied. Paste it into your bug report.')
  const report = await page.evaluate(() => navigator.clipboard.readText())
  expect(report).toMatch(/^Parley \d+\.\d+\.\d+ \(browser host\)/)
  expect(report).toContain('Room: lan, connected')
  expect(report).toMatch(/ {2}Bea \(\d+\): connected, verified/)
  expect(report).toContain('Microphones:')
  await screenshot(page, 'diagnostics.png')

  await page.getByRole('button', { name: 'Open log folder' }).click()
  const folder = path.join(dir, 'ada', 'logs')
  await expect(page.getByRole('status', { name: 'Diagnostics' })).toHaveText(`The logs are in ${folder}`)
  await ada.stop()
  await bea.stop()
  const log = await readFile(path.join(folder, 'browser.log'), 'utf8')
  expect(log).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] /m)
  expect(log).toMatch(/Bea/)

  // Nothing that looks like key material, in the log or the report; and each side's own key,
  // and the other's, nowhere.
  for (const text of [log, report, await readFile(path.join(dir, 'bea', 'logs', 'browser.log'), 'utf8')]) {
    expect(redactSecrets(text)).toBe(text)
    for (const name of ['ada', 'bea']) {
      const identity = JSON.parse(await readFile(path.join(dir, name, IDENTITY_FILE_NAME), 'utf8')) as Record<
        string,
        string
      >
      for (const value of Object.values(identity)) {
        if (typeof value === 'string' && value.length >= 32) expect(text).not.toContain(value)
      }
    }
  }
})
