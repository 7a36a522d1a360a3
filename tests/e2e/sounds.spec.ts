import { expect, test } from '../support/e2e-fixtures'

import { spawn } from 'node:child_process'

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { hasPulseAudio } from '../support/pulse-audio'

test.skip(
  !hasPulseAudio(),
  'needs PulseAudio to hear what the page plays (apt-get install pulseaudio pulseaudio-utils)'
)

const RATE = 48000
const WINDOW = RATE / 100 // 10 ms

/** Stretches of sound in a recording (10 ms windows above -45 dBFS, gaps under 60 ms joined). */
function bursts(samples: Int16Array): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = []
  for (let at = 0; at + WINDOW <= samples.length; at += WINDOW) {
    let sum = 0
    for (let i = at; i < at + WINDOW; i++) sum += samples[i]! * samples[i]!
    if (Math.sqrt(sum / WINDOW) / 32768 < 10 ** (-45 / 20)) continue
    const last = found.at(-1)
    if (last && at - last.end <= 6 * WINDOW) last.end = at + WINDOW
    else found.push({ start: at, end: at + WINDOW })
  }
  return found
}

/** How much of `frequency` (Hz) a stretch holds (Goertzel's power, per sample). */
function power(samples: Int16Array, start: number, end: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / RATE)
  let previous = 0
  let before = 0
  for (let i = start; i < end; i++) {
    const next = samples[i]! + coefficient * previous - before
    before = previous
    previous = next
  }
  return (previous * previous + before * before - coefficient * previous * before) / (end - start)
}

test('someone joining and leaving is heard: a rising cue, then a falling one', async ({
  dataDir: dir,
  startHost,
  startAudio
}) => {
  const { pulse, browser } = await startAudio(RATE)
  const ada = await startHost(['--name', 'Ada'], { dir: path.join(dir, 'ada') })
  const raw = path.join(dir, 'speaker.raw')
  const recorder = spawn(
    'parec',
    ['--device=speaker.monitor', '--format=s16le', `--rate=${RATE}`, '--channels=1', '--latency-msec=10', raw],
    { env: pulse.env }
  )
  try {
    const page = await browser.newPage()
    await page.goto(ada.url)
    await page.locator('h1').click() // a gesture: sound may start
    const joinCode = (await page.getByText(/Others join you at/).textContent())!.match(/\d+\.\d+\.\d+\.\d+:\d+/)![0]
    await page.waitForTimeout(1000)
    const bea = await startHost(['--name', 'Bea', '--join', joinCode], { dir: path.join(dir, 'bea') })
    await expect(page.getByRole('listitem', { name: /^Bea, / })).toBeVisible()
    await page.waitForTimeout(1000)
    await bea.stop()
    await expect(page.getByRole('listitem', { name: /^Bea, / })).toHaveCount(0)
    await page.waitForTimeout(1000)
  } finally {
    recorder.kill('SIGTERM')
    await new Promise((resolve) => recorder.once('exit', resolve))
  }
  const bytes = await readFile(raw)
  const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1)
  const heard = bursts(samples)
  expect(heard.length, JSON.stringify(heard)).toBe(2)
  const [join, leave] = heard as [{ start: number; end: number }, { start: number; end: number }]
  const third = (b: { start: number; end: number }) => Math.floor((b.end - b.start) / 3)
  // Rising (C5 E5 G5), then falling: C5 (523 Hz) leads and G5 (784 Hz) ends the join cue, and
  // the other way round for the leave cue.
  const lowThenHigh = (b: { start: number; end: number }) => ({
    opensLow: power(samples, b.start, b.start + third(b), 523) > power(samples, b.start, b.start + third(b), 784),
    endsHigh: power(samples, b.end - third(b), b.end, 784) > power(samples, b.end - third(b), b.end, 523)
  })
  expect(lowThenHigh(join)).toEqual({ opensLow: true, endsHigh: true })
  expect(lowThenHigh(leave)).toEqual({ opensLow: false, endsHigh: false })
})
