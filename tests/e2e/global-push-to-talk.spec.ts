import { expect, test } from '../support/e2e-fixtures'
import { execFileSync, spawnSync } from 'node:child_process'

// The global hook sees keys pressed in any app. Under Xvfb, xdotool presses keys on the X
// display itself; the browser page never gets them, so only the hook in the host can react.

const hasDisplay = Boolean(process.env.DISPLAY)
const hasXdotool = spawnSync('xdotool', ['version']).status === 0

test('a key held on the X display, not in the page, opens and closes the microphone', async ({ page, startHost }) => {
  test.skip(!hasDisplay || !hasXdotool, 'needs an X display and xdotool (npm test runs Playwright under xvfb-run)')
  // F8, not Space: other tests' hosts on this display have the hook off, but be a good neighbour.
  const host = await startHost(['--global-keys', 'on'])
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: /Push-to-talk/ }).click()
  await page.keyboard.press('F8')
  await expect(page.getByRole('button', { name: /Push-to-talk/ })).toContainText('F8')
  await page.getByRole('button', { name: 'Room' }).click()

  const status = page.getByRole('contentinfo', { name: 'Status' })
  await expect(status).toContainText('Global push-to-talk: push-to-talk works while other apps have focus')
  const button = page.getByRole('button', { name: 'Push to talk' })
  await expect(button).toHaveAttribute('aria-pressed', 'false')

  execFileSync('xdotool', ['keydown', 'F8'])
  await expect(button).toHaveAttribute('aria-pressed', 'true')
  execFileSync('xdotool', ['keyup', 'F8'])
  // The release delay (200 ms), then the tail drains and the microphone closes.
  await expect(button).toHaveAttribute('aria-pressed', 'false')

  // A mute key, pressed elsewhere, mutes and unmutes.
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: /^Mute key/ }).click()
  await page.keyboard.press('F9')
  await expect(page.getByRole('button', { name: /^Mute key/ })).toContainText('F9')
  const microphone = page.getByRole('status', { name: 'Microphone' })
  await expect(status).toContainText('Global push-to-talk')
  execFileSync('xdotool', ['key', 'F9'])
  await expect(microphone).toHaveText('Muted')
  execFileSync('xdotool', ['key', 'F9'])
  await expect(microphone).toHaveText('Mic off')
})

test('without a display, the status bar says push-to-talk works in the window only, and why', async ({
  page,
  startHost
}) => {
  const host = await startHost(['--global-keys', 'on'], { env: { DISPLAY: '', WAYLAND_DISPLAY: 'wayland-0' } })
  await page.goto(host.url)
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(
    'Push-to-talk in this window only: Wayland does not let apps see keys pressed elsewhere'
  )
  // The in-window key still works.
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.down('Space')
  await expect(page.getByRole('button', { name: 'Push to talk' })).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.up('Space')
  await expect(page.getByRole('button', { name: 'Push to talk' })).toHaveAttribute('aria-pressed', 'false')
})
