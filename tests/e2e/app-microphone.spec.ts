import { expect, test } from '../support/e2e-fixtures'
import { execFileSync, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readWavFile, writeWavFile } from '../../src/main/engine/audio/wav-file'
import { sine, speechWav } from '../support/audio'
import { callHost } from '../support/host-contract'
import { startPeer } from '../support/peer-process'
import { hasPulseAudio } from '../support/pulse-audio'
import { describeVerdict, judgeSpeech } from '../support/speech-judge'

test.skip(!hasPulseAudio(), 'needs PulseAudio for a real microphone (apt-get install pulseaudio pulseaudio-utils)')

const RATE = 48000
const APP_MICROPHONE_KEEPS = 0.85

// In LAN mode with the default settings (a headset: no echo cancellation, no automatic gain, the
// default microphone), the host records the microphone itself, through PortAudio: a sentence
// played into the machine's default PulseAudio source is heard by a member of the room, and the
// page never opens the microphone.
test('the host records the default microphone itself, and the room hears the sentence', async ({
  dataDir: dir,
  // The sound server first, so it outlives the host: a host whose PulseAudio went away first did
  // not exit on SIGTERM in CI (PortAudio's ALSA stream to a dead server; to be fixed in the host).
  startAudio,
  startHost
}) => {
  const { pulse, browser } = await startAudio(RATE)
  const sentence = path.join(dir, 'sentence.wav')
  execFileSync('sox', [
    speechWav(dir, 'The host hears this sentence itself, with no browser in the way. Can everyone hear me?'),
    '-r',
    String(RATE),
    '-c',
    '1',
    '-b',
    '16',
    sentence,
    'gain',
    '-n',
    '-3'
  ])
  const sentence22 = path.join(dir, 'sentence-22050.wav')
  execFileSync('sox', [sentence, '-r', '22050', sentence22])
  const recording = path.join(dir, 'bea.wav')
  const bea = startPeer({ name: 'Bea', record: recording, sampleRate: 22050, outputBufferMs: 16 })
  await mkdir(path.join(dir, 'ada'))
  // The default settings but noise suppression: RNNoise reshapes the voice (it is judged on its
  // own, in noise-suppressor.test.ts), and this judges what capture itself keeps.
  await writeFile(
    path.join(dir, 'ada', 'settings.json'),
    JSON.stringify({ version: 1, settings: { noiseSuppression: false } })
  )
  const ada = await startHost(['--name', 'Ada', '--join', `127.0.0.1:${await bea.port}`, '--microphone', 'app'], {
    env: pulse.env,
    dir: path.join(dir, 'ada')
  })
  const page = await browser.newPage()
  await page.goto(ada.url)
  await expect(page.getByRole('list', { name: 'Room' }).locator('li[data-auth="verified"]')).toHaveCount(1)
  const owner = async () => (await callHost<{ microphone: string }>(ada.url, 'voice:getStatus')).microphone
  for (let waited = 0; (await owner()) !== 'app' && waited < 20_000; waited += 250) await page.waitForTimeout(250)
  // Where PortAudio cannot open this machine's default source, the host says so and the page
  // records: that is a skip with the host's own words, not a pass (seen once in CI, cause unknown).
  const refused = /main cannot open the microphone \((.+)\); the page captures it/.exec(ada.output())
  test.skip(
    (await owner()) !== 'app' && refused !== null,
    `the host could not open the microphone here: ${refused?.[1]}`
  )
  expect(await owner()).toBe('app')

  await page.locator('h1').click()
  await page.keyboard.down('Space')
  await expect(page.getByRole('status', { name: 'Microphone' })).toHaveText('On air')
  // A PortAudio stream's first audio comes a while after it opens (0.9–2 s here, more in CI's
  // load, where a sentence spoken at once lost its start): a short tone until our own meter,
  // from main's level, shows the microphone flowing; then the sentence.
  const meter = async () =>
    Number(await page.getByRole('meter', { name: 'Your microphone level' }).getAttribute('aria-valuenow'))
  const tone = path.join(dir, 'tone.wav')
  await writeWavFile(tone, { sampleRate: RATE, samples: sine(440, 0.3 * RATE, RATE) })
  let flowing = false
  for (let tries = 0; !flowing && tries < 30; tries++) {
    const beep = spawn('paplay', ['--device=mic_bus', tone], { env: pulse.env })
    const ended = new Promise((resolve) => beep.once('exit', resolve))
    for (let polls = 0; !flowing && polls < 10; polls++) {
      flowing = (await meter()) > 20
      await page.waitForTimeout(40)
    }
    await ended
  }
  expect(flowing).toBe(true)
  await page.waitForTimeout(500)
  const spoken = spawn('paplay', ['--device=mic_bus', '--latency-msec=10', sentence], { env: pulse.env })
  // Our own meter moves with the voice.
  await expect.poll(meter).toBeGreaterThan(20)
  await new Promise((resolve) => spoken.once('exit', resolve))
  await page.waitForTimeout(500)
  const recordersWhileTalking = pulse.pactl('list', 'source-outputs')
  await page.keyboard.up('Space')
  await page.waitForTimeout(300)
  bea.child.kill('SIGTERM')
  expect((await bea.exited).code).toBe(0)

  // One program records the microphone, and it is not the browser.
  const recorders = recordersWhileTalking
  expect(recorders).toMatch(/application\.process\.binary = "node"/)
  expect(recorders).not.toMatch(/application\.process\.binary = "chromium"/)
  const heard = await readWavFile(recording)
  const original = await readWavFile(sentence22)
  const verdict = await judgeSpeech({ samples: original.samples, from: 0 }, heard.samples, 22050)
  console.log(describeVerdict('the host’s own microphone, heard by Bea', verdict))
  // Not KEEPS_THE_CODECS (0.95): this path also has PulseAudio's, whose null-sink microphone is
  // resampled (44.1 to 48 kHz) and delivered in blocks before Parley sees it. It read 0.80-0.985
  // here (0.93 typically); the page's microphone in the same harness read 0.69-0.88.
  expect(verdict.ratio).toBeGreaterThanOrEqual(APP_MICROPHONE_KEEPS)
})
