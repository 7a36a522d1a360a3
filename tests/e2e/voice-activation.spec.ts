import { expect, test } from '../support/e2e-fixtures'

import { spawn } from 'node:child_process'

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { speechWav } from '../support/audio'

import { hasPulseAudio } from '../support/pulse-audio'
import { screenshot } from '../support/screenshots'

test.skip(
  !hasPulseAudio(),
  'needs PulseAudio to speak into a real microphone (apt-get install pulseaudio pulseaudio-utils)'
)

test('voice activation: a spoken sentence opens the microphone, and the hold after it closes it', async ({
  dataDir: dir,
  startHost,
  startAudio
}) => {
  const { pulse, browser } = await startAudio()
  const data = path.join(dir, 'host')
  await mkdir(data)
  await writeFile(
    path.join(data, 'settings.json'),
    JSON.stringify({
      version: 1,
      settings: { inputMode: 'voice-activation', voiceThresholdDbfs: -45, voiceHoldMs: 400 }
    })
  )
  const host = await startHost([], { dir: data })
  const page = await browser.newPage()
  await page.goto(host.url)
  const microphone = page.getByRole('status', { name: 'Microphone' })
  await expect(page.getByRole('alert').filter({ hasText: 'microphone' })).toHaveCount(0)
  // A quiet room: nothing opens it.
  await page.waitForTimeout(1500)
  await expect(microphone).toHaveText('Mic off')

  const sentence = speechWav(dir, 'Can you hear me? The match starts in five minutes.')
  const spoken = spawn('paplay', ['--device=mic_bus', sentence], { env: pulse.env })
  await expect(microphone).toHaveText('On air', { timeout: 3000 })
  await page.getByRole('button', { name: 'Settings' }).click()
  // The level to set it against moves with the voice, live.
  const meter = page.getByRole('meter', { name: 'Your microphone now' })
  await expect
    .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 2000 })
    .toBeGreaterThan(20)
  await screenshot(page, 'voice-activation.png')
  await new Promise((resolve) => spoken.once('exit', resolve))
  // Silence again: closed after the hold (400 ms), the release delay and the tail.
  await expect(microphone).toHaveText('Mic off', { timeout: 3000 })
})
