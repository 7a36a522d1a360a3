import type { Page } from '@playwright/test'
import { expect, test } from '../support/e2e-fixtures'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { screenshot } from '../support/screenshots'

/** The header's microphone state: "off", "on-air" or "no-microphone" (held without a microphone). */
const micState = (page: Page) => page.getByRole('status', { name: 'Microphone' })

test('Space on a focused button uses the button and never opens the microphone; elsewhere it does', async ({
  page,
  host
}) => {
  await page.goto(host.url)
  const refresh = page.getByRole('button', { name: 'Refresh' })
  await refresh.focus()
  await page.keyboard.down('Space')
  await page.waitForTimeout(300)
  await expect(micState(page)).toHaveAttribute('data-state', 'off')
  await page.keyboard.up('Space')
  // Focus on nothing in particular: Space is the push-to-talk key and opens the microphone.
  await page.locator('h1').click()
  await page.keyboard.down('Space')
  await expect(micState(page)).not.toHaveAttribute('data-state', 'off')
  await page.keyboard.up('Space')
  await expect(micState(page)).toHaveAttribute('data-state', 'off', { timeout: 3000 })
})

test('Tab cannot become the push-to-talk key: it moves on, and the page says why', async ({
  page,
  dataDir,
  startHost
}) => {
  const host = await startHost()
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const binding = page.getByRole('button', { name: /^Push-to-talk/ })
  await binding.click()
  await expect(binding).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('alert').filter({ hasText: 'Tab moves between controls' })).toBeVisible()
  await expect(binding).toContainText('Space')
  await expect(binding).not.toBeFocused() // the keyboard left the field
  const saved = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8').catch(() => '{}'))
  expect(saved.settings?.pushToTalk?.code ?? 'Space').toBe('Space')
})

test('mute and deafen keys, shown everywhere; muted, holding push-to-talk sends nothing; deafen also mutes', async ({
  page,
  host
}) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  for (const [name, key] of [
    ['Mute key', 'KeyM'],
    ['Deafen key', 'KeyD']
  ] as const) {
    const field = page.getByRole('button', { name: new RegExp(`^${name}`) })
    await expect(field).toContainText('None')
    await field.click()
    await page.keyboard.press(key)
    await expect(field).toContainText(key.slice(3))
  }
  await page.getByRole('button', { name: 'Room', exact: true }).click()
  await page.locator('h1').click()
  const mute = page.getByRole('button', { name: /^(Mute|Unmute)$/ })

  await page.keyboard.press('KeyM')
  await expect(micState(page)).toHaveText('Muted')
  await expect(mute).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.down('Space')
  await page.waitForTimeout(300)
  await expect(page.getByRole('button', { name: 'Push to talk' })).toHaveAttribute('aria-pressed', 'false')
  await expect(page.getByText('Muted: nobody hears you')).toBeVisible()
  await page.keyboard.up('Space')
  await page.keyboard.press('KeyM')
  await expect(micState(page)).toHaveText('Mic off')

  await page.keyboard.press('KeyD')
  await expect(micState(page)).toHaveText('Deafened')
  await expect(mute).toBeDisabled() // deafened is muted too
  // Shown in every view, not only the room's.
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(micState(page)).toHaveText('Deafened')
  await page.locator('h1').click()
  await page.keyboard.press('KeyD')
  await expect(micState(page)).toHaveText('Mic off')
})

test('a value out of range is refused in words, naming the setting', async ({ page, startHost }) => {
  const host = await startHost()
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const delay = page.getByRole('spinbutton', { name: 'Release delay (ms)' })
  await delay.fill('5000')
  await delay.press('Enter')
  await expect(page.getByRole('status', { name: 'Saving' })).toHaveText('Not saved: Release delay: at most 2000 ms')
})

test('one bad value in the settings file costs only that value; the page names it', async ({
  page,
  dataDir,
  startHost
}) => {
  await mkdir(dataDir, { recursive: true })
  await writeFile(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ version: 1, settings: { sampleRate: 48000, releaseDelayMs: 99999, displayName: 'Ada' } })
  )
  const host = await startHost()
  await page.goto(host.url)
  const notice = page.getByRole('alert').filter({ hasText: 'back to their defaults' })
  await expect(notice).toContainText('Release delay (at most 2000 ms)')
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('combobox', { name: 'Sample rate' })).toHaveValue('48000')
  await expect(page.getByRole('textbox', { name: 'Display name' })).toHaveValue('Ada')
  await expect(page.getByRole('spinbutton', { name: 'Release delay (ms)' })).toHaveValue('200')
})

for (const width of [1280, 900, 700, 420]) {
  test(`at ${width} px wide no view scrolls sideways`, async ({ page, dataDir, startHost }) => {
    const host = await startHost(['--name', 'Ada'])
    await page.setViewportSize({ width, height: 800 })
    await page.goto(host.url)
    // A second member, so the room and the figures have a row each.
    const joinCode = (await page.getByText(/Others join you at/).textContent())!.match(/\d+\.\d+\.\d+\.\d+:\d+/)![0]
    await startHost(['--name', 'Bea', '--join', joinCode], { dir: path.join(dataDir, 'bea') })
    await expect(page.getByRole('listitem', { name: /^Bea, / })).toBeVisible()
    for (const view of ['Room', 'Settings', 'Diagnostics']) {
      await page.getByRole('button', { name: view, exact: true }).click()
      await expect(page.getByRole('heading', { name: view, exact: true })).toBeVisible()
      const overflow = await page.evaluate(() => {
        const wide = [...document.querySelectorAll('body *')].filter(
          (element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
        )
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          elements: wide.slice(0, 5).map((element) => `${element.tagName}.${element.className}`)
        }
      })
      expect(overflow, `${view} at ${width} px`).toEqual({ page: 0, elements: [] })
      if (width === 1280 || width === 420) await screenshot(page, `${view.toLowerCase()}-${width}.png`)
    }
  })
}
