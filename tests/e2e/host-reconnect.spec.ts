import { expect, test } from '../support/e2e-fixtures'
import path from 'node:path'
import { screenshot } from '../support/screenshots'

test('the page notices its host is gone within 2 s, says so, and reads everything afresh when it is back', async ({
  page,
  startHost
}) => {
  const host = await startHost()
  const port = new URL(host.url).port
  await page.goto(host.url)
  const joinCode = page.getByText(/Others join you at/)
  await expect(joinCode).toBeVisible()
  const before = await joinCode.textContent()

  await host.crash()
  const lostAt = Date.now()
  const banner = page.getByRole('alert').filter({ hasText: 'Lost the connection to Parley' })
  await expect(banner).toBeVisible({ timeout: 2000 })
  expect(Date.now() - lostAt).toBeLessThan(2000)
  await screenshot(page, 'host-lost.png')
  // A request made meanwhile fails in words instead of waiting forever.
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('combobox', { name: 'Sample rate' }).selectOption('48000')
  await expect(
    page.getByRole('status', { name: 'Saving' }).filter({ hasText: 'Not saved: Parley is not answering' })
  ).toBeVisible({
    timeout: 10_000
  })
  await page.getByRole('button', { name: 'Room' }).click()

  // The host comes back on the same address, with a new LAN port: the page shows the new room.
  await startHost(['--http', `127.0.0.1:${port}`])
  await expect(banner).toHaveCount(0, { timeout: 5000 })
  await expect(joinCode).not.toHaveText(before!, { timeout: 5000 })
})

test('a member whose machine stalls is shown as reconnecting on their tile, then connected again by itself', async ({
  page,
  dataDir,
  startHost
}) => {
  const host = await startHost(['--name', 'Ada'])
  await page.goto(host.url)
  const joinCode = (await page.getByText(/Others join you at/).textContent())!.match(/\d+\.\d+\.\d+\.\d+:\d+/)![0]
  const bea = await startHost(['--name', 'Bea', '--join', joinCode], { dir: path.join(dataDir, 'bea') })
  const tile = page.getByRole('listitem', { name: /^Bea, / })
  await expect(tile).toHaveAttribute('data-connection', 'connected', { timeout: 10_000 })
  bea.pause()
  await expect(tile).toHaveAttribute('data-connection', 'reconnecting', { timeout: 5000 })
  await expect(tile.getByText('Connection lost. Reconnecting…')).toBeVisible()
  await screenshot(page, 'member-reconnecting.png')
  bea.resume()
  await expect(tile).toHaveAttribute('data-connection', 'connected', { timeout: 4000 })
  await expect(page.getByRole('listitem', { name: /^Bea, / })).toHaveCount(1)
})
