// `npm run bench -- --only app`: mouth-to-ear of the app as people run it, with real audio devices.
// A private PulseAudio (Debian's package) gives one two-channel bus: its left channel is A's
// microphone (a click track is played into it), its right channel is B's speaker. One recording
// of the bus holds both, sample-synchronous, so the harness's own delays cancel. Beside it, in the
// same run: the Chromium floor, one page routing the same microphone straight to the speaker.
import { chromium, type Browser } from '@playwright/test'
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeWavFile } from '../src/main/engine/audio/wav-file'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from '../tests/support/chromium'
import { startHostProcess, type HostProcess } from '../tests/support/host-process'
import { findOnsets, makeClickTrack, matchLatencies, percentile } from '../tests/support/clicks'
import { hasPulseAudio, startPulseAudio } from '../tests/support/pulse-audio'
import { callHost } from '../tests/support/host-contract'
import { cpuPercentOver, cpuWindow } from '../tests/support/process-cpu'
import { hasMumble, startMumble } from './mumble-anchor'

const RATE = 48000
const CLICK_EVERY_MS = 700
const SECONDS = 14
const emit = (figure: string, values: Record<string, unknown>) => console.log(JSON.stringify({ figure, ...values }))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10)

if (!hasPulseAudio()) {
  emit('app-mouth-to-ear-ms', { skipped: 'needs PulseAudio (apt-get install pulseaudio pulseaudio-utils)' })
  process.exit(0)
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-app-bench-'))
const pulse = await startPulseAudio(dir, [
  // The bus: left is the microphone, right is the speaker.
  `module-null-sink sink_name=parley_bus rate=${RATE} channels=2 channel_map=front-left,front-right`,
  'module-remap-sink sink_name=parley_clicks master=parley_bus channels=1 channel_map=mono master_channel_map=front-left remix=no',
  'module-remap-sink sink_name=parley_speaker master=parley_bus channels=1 channel_map=mono master_channel_map=front-right remix=no',
  'module-remap-source source_name=parley_mic master=parley_bus.monitor channels=1 channel_map=mono master_channel_map=front-left remix=no',
  // Where the Mumble talker's speaker goes, and its monitor the listener's (silent) microphone.
  'module-null-sink sink_name=parley_nowhere channels=1'
])
const env = pulse.env
// A bench stopped with Ctrl-C must not leave its sound server or hosts behind.
const hosts: HostProcess[] = []
process.once('exit', () => {
  void pulse.stop()
  for (const host of hosts) host.kill()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
pulse.pactl('set-default-source', 'parley_mic')
pulse.pactl('set-default-sink', 'parley_speaker')

const track = makeClickTrack(RATE, SECONDS, CLICK_EVERY_MS, 5)
const clicksFile = path.join(dir, 'clicks.wav')
await writeWavFile(clicksFile, { sampleRate: RATE, samples: track.samples })

/** Plays the click track into the microphone while recording the bus; returns each click's delay (ms). */
async function measure(label: string): Promise<{ latencies: number[]; missed: number }> {
  const raw = path.join(dir, `${label}.raw`)
  const recorder = spawn(
    'parec',
    ['--device=parley_bus.monitor', '--format=s16le', `--rate=${RATE}`, '--channels=2', '--latency-msec=10', raw],
    { env }
  )
  await sleep(300)
  const player = spawn('paplay', ['--device=parley_clicks', clicksFile], { env })
  await new Promise((resolve) => player.once('exit', resolve))
  await sleep(800)
  recorder.kill('SIGTERM')
  await new Promise((resolve) => recorder.once('exit', resolve))
  const bytes = await readFile(raw)
  const frames = bytes.length >> 2
  const mic = new Int16Array(frames)
  const speaker = new Int16Array(frames)
  for (let i = 0; i < frames; i++) {
    mic[i] = bytes.readInt16LE(i * 4)
    speaker[i] = bytes.readInt16LE(i * 4 + 2)
  }
  const loudest = (channel: Int16Array) => channel.reduce((max, v) => Math.max(max, Math.abs(v)), 0)
  const toMs = (onsets: number[]) => onsets.map((o) => (o * 1000) / RATE)
  const clicks = toMs(findOnsets(mic, RATE, loudest(mic) * 0.3, 200))
  const heard = toMs(findOnsets(speaker, RATE, Math.max(500, loudest(speaker) * 0.3), 200))
  return matchLatencies(clicks, heard, CLICK_EVERY_MS - 100)
}

function summary(result: { latencies: number[]; missed: number }) {
  return {
    clicks: result.latencies.length + result.missed,
    missed: result.missed,
    p50: round(percentile(result.latencies, 0.5)),
    p95: round(percentile(result.latencies, 0.95)),
    min: round(percentile(result.latencies, 0))
  }
}

/** A Chromium of its own, with its root process known (for counting every process it starts). */
async function launch(): Promise<{ browser: Browser; pid: number; close(): Promise<void> }> {
  const server = await chromium.launchServer({
    executablePath: chromiumExecutable(),
    args: [...QUIET_CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
    ignoreDefaultArgs: ['--mute-audio'],
    env
  })
  const browser = await chromium.connect(server.wsEndpoint())
  return {
    browser,
    pid: server.process().pid!,
    close: async () => {
      await browser.close().catch(() => {})
      await server.close().catch(() => {})
    }
  }
}

/** B's own figures (room:getStats over its contract socket, as its page asks). */
const hostStats = (url: string): Promise<unknown> => callHost(url, 'room:getStats')

const closers: Array<() => Promise<void>> = []
const rows: Record<string, unknown> = {}
try {
  // The floor: one page, the same microphone constraints as Parley's, straight to the speaker.
  const floorBrowser = await launch()
  const floorPage = await floorBrowser.browser.newPage()
  // A page on localhost: a secure context, where the microphone may be asked for.
  const server = createServer((_request, response) => response.end('<!doctype html><title>floor</title>'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  await floorPage.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  const floorWith = async (processing: boolean) => {
    await floorPage.evaluate(async (processing) => {
      const media = await navigator.mediaDevices.getUserMedia({
        audio: {
          echoCancellation: processing,
          noiseSuppression: processing,
          autoGainControl: false,
          channelCount: 1
        }
      })
      const context = new AudioContext({ latencyHint: 'interactive' })
      context.createMediaStreamSource(media).connect(context.destination)
      await context.resume()
      ;(window as unknown as { floor: { context: AudioContext; media: MediaStream } }).floor = { context, media }
    }, processing)
    await sleep(1000)
    const result = await measure(processing ? 'floor-processed' : 'floor-plain')
    await floorPage.evaluate(async () => {
      const floor = (window as unknown as { floor: { context: AudioContext; media: MediaStream } }).floor
      for (const track of floor.media.getTracks()) track.stop()
      await floor.context.close()
    })
    return result
  }
  rows.chromiumPlain = summary(await floorWith(false))
  const floor = await floorWith(true)
  rows.chromiumWithParleysProcessing = summary(floor)
  await floorBrowser.close()
  server.close()

  if (hasMumble()) {
    const mumble = await startMumble(path.join(dir, 'mumble'), env)
    closers.push(() => mumble.stop())
    const talker = await mumble.join('Ada', 'parley_mic', 'parley_nowhere', true)
    const listener = await mumble.join('Bea', 'parley_nowhere.monitor', 'parley_speaker', false)
    // The listener opens its output on the first voice it hears.
    await sleep(3000)
    const cpu = cpuWindow({ talker: [talker.pid], listener: [listener.pid] })
    const result = summary(await measure('mumble'))
    rows.mumble = { ...result, cpuPercentOfOneCore: cpu.close(), byProcess: cpu.breakdown() }
    await mumble.stop()
    closers.pop()
  } else {
    rows.mumble = { skipped: 'needs Debian’s mumble and mumble-server (apt-get install mumble mumble-server)' }
  }

  // The app: two browser hosts on loopback, two Chromiums; A holds push-to-talk while measured.
  // Once with the microphone recorded by the page (through the browser's processing: the path
  // before issue 23, and what echo cancellation still takes), once by the host itself (the default).
  const runApp = async (microphone: 'page' | 'app') => {
    const port = 47000 + Math.floor(Math.random() * 2000)
    const common = ['--microphone', microphone]
    const hostA = await startHostProcess(
      path.join(dir, `a-${microphone}`),
      ['--name', 'Ada', '--listen', `127.0.0.1:${port}`, ...common],
      env
    )
    hosts.push(hostA)
    const open = async (host: HostProcess) => {
      const launched = await launch()
      closers.push(launched.close)
      const page = await launched.browser.newPage()
      await page.goto(host.url)
      await page.locator('body').click({ position: { x: 5, y: 5 } })
      return { ...launched, page }
    }
    const a = await open(hostA)
    // Alone in the room first: A's page rests its audio once nothing has played for 2 s.
    await sleep(4000)
    const alone = await cpuPercentOver({ alone: [hostA.pid, a.pid] }, 8000)
    const hostB = await startHostProcess(
      path.join(dir, `b-${microphone}`),
      ['--name', 'Bea', '--join', `127.0.0.1:${port}`, ...common],
      env
    )
    hosts.push(hostB)
    const b = await open(hostB)
    for (const { page } of [a, b]) {
      await page.getByRole('list', { name: 'Room' }).locator('li[data-auth="verified"]').waitFor({ timeout: 15000 })
    }
    const clients = { talker: [hostA.pid, a.pid], listener: [hostB.pid, b.pid] }
    await sleep(3000)
    const idle = await cpuPercentOver(clients, 10_000)
    await a.page.keyboard.down('Space')
    await sleep(1500)
    const cpu = cpuWindow(clients)
    const app = summary(await measure(`app-${microphone}`))
    const row = {
      ...app,
      cpuPercentOfOneCore: cpu.close(),
      byProcess: cpu.breakdown(),
      idleAlone: { cpuPercentOfOneCore: alone.total.alone, byProcess: alone.byProcess.alone },
      idleInRoom: { cpuPercentOfOneCore: idle.total, byProcess: idle.byProcess },
      reportedByB: await hostStats(hostB.url)
    }
    await a.page.keyboard.up('Space')
    for (const closer of closers.splice(-2)) await closer()
    await Promise.all(hosts.splice(-2).map((host) => host.stop()))
    return row
  }
  rows.parleyPageMicrophone = await runApp('page')
  const app = await runApp('app')
  rows.parley = app
  const appP50 = app.p50
  emit('app-mouth-to-ear-ms', {
    harness:
      'PulseAudio bus: left = A’s microphone (click track), right = B’s speaker; one recording; ' +
      'CPU = every process of a client (host + browser, or Mumble), % of one core',
    ...rows,
    parleyShareP50:
      appP50 !== null && floor.latencies.length ? round(appP50 - percentile(floor.latencies, 0.5)!) : null,
    targets: {
      parley: 'p50 at or below Mumble’s, p95 within 15 ms of its p50, 0 missed',
      cpuInCall: '<= 10% per client',
      idleInRoom: '<= 1.5% per client'
    }
  })
} finally {
  for (const close of closers.reverse()) await close().catch(() => {})
  await Promise.all(hosts.map((host) => host.stop()))
  await pulse.stop()
  await rm(dir, { recursive: true, force: true })
}
