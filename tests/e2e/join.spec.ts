import { expect, test } from '../support/e2e-fixtures'

import { createSocket } from 'node:dgram'

import { screenshot } from '../support/screenshots'

test('joining an address where nobody answers shows progress, can be cancelled, and fails in words after 10 s', async ({
  page,
  host
}) => {
  // A UDP port that is open and silent, as a machine without Parley (or behind a firewall) is.
  const silent = createSocket('udp4')
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()))
  const address = `127.0.0.1:${silent.address().port}`
  try {
    await page.goto(host.url)
    const input = page.getByRole('textbox', { name: 'Room address' })
    await input.fill(address)
    await page.getByRole('button', { name: 'Join', exact: true }).click()
    const progress = page.getByRole('status').filter({ hasText: `Joining ${address}…` })
    await expect(progress).toBeVisible()
    await screenshot(page, 'joining.png')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('alert').filter({ hasText: `Stopped joining ${address}.` })).toBeVisible()
    await expect(progress).toHaveCount(0)

    await page.getByRole('button', { name: 'Join', exact: true }).click()
    await expect(progress).toBeVisible()
    const message = `No answer from ${address}. Is Parley running there, and is UDP ${silent.address().port} allowed through its firewall?`
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible({ timeout: 13_000 })
    await expect(progress).toHaveCount(0)
    await screenshot(page, 'join-failed.png')
  } finally {
    silent.close()
  }
})
