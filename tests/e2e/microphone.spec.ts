import { chromium, type Page } from '@playwright/test'

import { expect, test } from '../support/e2e-fixtures'

import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from '../support/chromium'

import { screenshot } from '../support/screenshots'

/** Holds the talk button: it is held, but with no microphone the page must not say On air. */
async function expectNoOnAir(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Push to talk' })
  await button.hover()
  await page.mouse.down()
  await expect(page.getByText('No microphone: nobody hears you')).toBeVisible()
  await screenshot(page, 'no-microphone.png')
  await expect(page.getByText('On air')).toHaveCount(0)
  await expect(button).toHaveAttribute('aria-pressed', 'true') // held: the button works, nobody hears
  await page.mouse.up()
}

test('no microphone at all: the status bar says so in words, and the talk button never says On air', async ({
  page,
  host
}) => {
  await page.goto(host.url)
  await expect(page.getByRole('alert').filter({ hasText: 'No microphone found. Plug one in' })).toBeVisible()
  await expectNoOnAir(page)
})

test('microphone permission denied: the status bar says how to allow it, and no On air', async ({ host }) => {
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...QUIET_CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--deny-permission-prompts']
  })
  try {
    const page = await (await browser.newContext()).newPage()
    await page.goto(host.url)
    await expect(page.getByRole('alert').filter({ hasText: 'may not use the microphone. Allow it' })).toBeVisible()
    await expectNoOnAir(page)
  } finally {
    await browser.close()
  }
})
