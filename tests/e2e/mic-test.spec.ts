import { expect, test } from '../support/e2e-fixtures'

import { spawn } from 'node:child_process'

import { mkdir, readFile, writeFile } from 'node:fs/promises'

import path from 'node:path'
import { readWavFile } from '../../src/main/engine/audio/wav-file'

import { envelope10ms, speechWav } from '../support/audio'

import { callHost } from '../support/host-contract'

import { hasPulseAudio } from '../support/pulse-audio'

import { screenshot } from '../support/screenshots'

test.skip(
  !hasPulseAudio(),
  'needs PulseAudio for a real microphone and speaker (apt-get install pulseaudio pulseaudio-utils)'
)

const RATE = 48000

/** The best correlation of `b` against `a` over lags of b from 0 to maxLag windows. */
function bestCorrelation(a: Float64Array, b: Float64Array, maxLag: number): number {
  let best = -1
  for (let lag = 0; lag <= maxLag; lag++) {
    const n = Math.min(a.length, b.length - lag)
    if (n < 50) break
    let ma = 0
    let mb = 0
    for (let i = 0; i < n; i++) {
      ma += a[i]!
      mb += b[i + lag]!
    }
    ma /= n
    mb /= n
    let ab = 0
    let aa = 0
    let bb = 0
    for (let i = 0; i < n; i++) {
      const x = a[i]! - ma
      const y = b[i + lag]! - mb
      ab += x * y
      aa += x * x
      bb += y * y
    }
    if (aa > 0 && bb > 0) best = Math.max(best, ab / Math.sqrt(aa * bb))
  }
  return best
}

test('the mic test plays back what the microphone hears, through the codec; nobody in the room hears it', async ({
  dataDir: dir,
  startHost,
  startAudio,
  joinFromPage
}) => {
  const { pulse, browser } = await startAudio(RATE)
  // Chromium's echo canceller would take the played-back voice out of the microphone (the mic
  // test plays into the speaker what the microphone hears): off, as with a headset.
  await mkdir(path.join(dir, 'ada'))
  await writeFile(
    path.join(dir, 'ada', 'settings.json'),
    JSON.stringify({ version: 1, settings: { echoCancellation: false, noiseSuppression: false } })
  )
  const ada = await startHost(['--name', 'Ada'], { dir: path.join(dir, 'ada') })
  const sentence = speechWav(dir, 'Testing, one two three. Can my friends hear me clearly?')
  const raw = path.join(dir, 'speaker.raw')
  const page = await browser.newPage()
  await page.goto(ada.url)
  await page.locator('h1').click()
  const bea = await joinFromPage(page, 'Bea')

  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Test your microphone' }).click()
  await expect(page.getByRole('status', { name: 'Microphone' })).toHaveText('On air')
  await page.waitForTimeout(500)
  const recorder = spawn(
    'parec',
    ['--device=speaker.monitor', '--format=s16le', `--rate=${RATE}`, '--channels=1', '--latency-msec=10', raw],
    { env: pulse.env }
  )
  const spoken = spawn('paplay', ['--device=mic_bus', sentence], { env: pulse.env })
  await screenshot(page, 'mic-test.png')
  await new Promise((resolve) => spoken.once('exit', resolve))
  await page.waitForTimeout(1000)
  recorder.kill('SIGTERM')
  await new Promise((resolve) => recorder.once('exit', resolve))
  await page.getByRole('button', { name: 'Stop the test' }).click()
  await expect(page.getByRole('status', { name: 'Microphone' })).toHaveText('Mic off')
  // Bea heard nothing of it.
  const beaStats = await callHost<{ speakers: Array<{ received: number }> }>(bea.url, 'room:getStats')
  expect(beaStats.speakers.reduce((sum, speaker) => sum + speaker.received, 0)).toBe(0)
  const bytes = await readFile(raw)
  const heard = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1)
  const spokenAudio = await readWavFile(sentence)
  // What came out of the speaker follows the sentence's loudness, word by word: 0.74-0.91 here
  // through Chromium's capture, the codec and the playout (0.28-0.8 with its echo canceller on,
  // which takes the played-back voice out of the microphone); silence reads near 0.
  const correlation = bestCorrelation(
    envelope10ms(spokenAudio.samples, spokenAudio.sampleRate),
    envelope10ms(heard, RATE),
    100
  )
  expect(correlation).toBeGreaterThan(0.5)
})
