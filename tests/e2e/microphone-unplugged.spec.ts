import { expect, test } from '../support/e2e-fixtures'

import { spawnSync } from 'node:child_process'

import path from 'node:path'
import { hasPulseAudio } from '../support/pulse-audio'
import { screenshot } from '../support/screenshots'

test.skip(
  !hasPulseAudio(),
  'needs PulseAudio for a microphone that can be pulled (apt-get install pulseaudio pulseaudio-utils)'
)

/**
 * A real microphone (a PulseAudio source) that goes away mid-call: its stream is killed, as
 * PulseAudio does when a USB microphone is pulled, and the page's track ends.
 */
test('a microphone pulled mid-call: the page says so, never On air, and uses a microphone again once there is one', async ({
  dataDir: dir,
  startHost,
  startAudio
}) => {
  // pacmd (module-cli-protocol-unix) can kill a stream, as a pulled USB microphone does.
  const { pulse, browser } = await startAudio(48000, ['module-cli-protocol-unix'])
  const host = await startHost([], { dir: path.join(dir, 'host') })
  const page = await browser.newPage()
  await page.goto(host.url)
  const button = page.getByRole('button', { name: 'Push to talk' })
  await button.hover()
  await page.mouse.down()
  const indicator = page.getByRole('status', { name: 'Microphone' }) // the header's, in every view
  await expect(indicator).toHaveText('On air', { timeout: 10_000 })

  // Pulled, while held: the capture stream of Chromium's is killed.
  const streams = pulse.pactl('list', 'short', 'source-outputs').trim().split('\n')
  const ours = streams.filter((line) => line.includes('protocol-native')).map((line) => line.split('\t')[0]!)
  expect(ours.length).toBeGreaterThan(0)
  for (const id of ours) {
    const killed = spawnSync('pacmd', ['kill-source-output', id], { env: pulse.env, encoding: 'utf8' })
    expect(killed.status, killed.stderr).toBe(0)
  }
  const alert = page.getByRole('alert').filter({ hasText: 'The microphone stopped (unplugged?)' })
  await expect(alert).toBeVisible({ timeout: 2000 })
  await expect(page.getByText('No microphone: nobody hears you')).toBeVisible()
  await expect(page.getByText('On air')).toHaveCount(0)
  await expect(indicator).toHaveText('No microphone')
  await screenshot(page, 'microphone-unplugged.png')

  // A microphone is there again (PulseAudio's default source): the page takes it up by itself.
  await expect(alert).toHaveCount(0, { timeout: 8000 })
  await expect(indicator).toHaveText('On air')
  await page.mouse.up()
})
