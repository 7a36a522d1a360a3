import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startHostProcess } from '../support/host-process'
import { hasPulseAudio, launchChromiumOn, startAudioDevices } from '../support/pulse-audio'
import { screenshot } from '../support/screenshots'

test.skip(
  !hasPulseAudio(),
  'needs PulseAudio for a microphone that can be pulled (apt-get install pulseaudio pulseaudio-utils)'
)

/**
 * A real microphone (a PulseAudio source) that goes away mid-call: its stream is killed, as
 * PulseAudio does when a USB microphone is pulled, and the page's track ends.
 */
test('a microphone pulled mid-call: the page says so, never On air, and uses a microphone again once there is one', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-'))
  // pacmd (module-cli-protocol-unix) can kill a stream, as a pulled USB microphone does.
  const pulse = await startAudioDevices(dir, 48000, ['module-cli-protocol-unix'])
  const host = await startHostProcess(path.join(dir, 'host'))
  const browser = await launchChromiumOn(pulse)
  try {
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
  } finally {
    await browser.close()
    await host.stop()
    await pulse.stop()
    await rm(dir, { recursive: true, force: true })
  }
})
