// `npm run bench -- --only network`: mouth-to-ear between two peers, measured on the audio; a
// listener's CPU as the room grows; idle; garbage collections. One JSON line per figure; the
// results are in docs/voice-path.md.
import { openLanTransport } from '../tests/support/lan-members'

import { spawn, type ChildProcess } from 'node:child_process'

import { readdirSync, readFileSync } from 'node:fs'

import { mkdtemp, readFile, rm } from 'node:fs/promises'

import os from 'node:os'
import path from 'node:path'
import { readWavFile, writeWavFile } from '../src/main/engine/audio/wav-file'

import { generateIdentity } from '../src/main/engine/auth/lan-identity'

import { encodeAudio } from '../src/main/engine/steam-voice/offline-codec'

import { FixedRateTimer, realScheduler } from '../src/main/engine/time/scheduler'

import { LanTransport } from '../src/main/engine/lan/lan-transport'

import { speechWav } from '../tests/support/audio'

import { findOnsets, makeClickTrack, matchLatencies, percentile } from '../tests/support/clicks'

import { resignPacket } from './resign-packet'

const ROOT = path.resolve(import.meta.dirname, '..')
const emit = (figure: string, values: Record<string, unknown>) => console.log(JSON.stringify({ figure, ...values }))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits

interface Peer {
  child: ChildProcess
  port: Promise<number>
  exited: Promise<void>
}

/** `npm run peer` as its own process (node --import tsx: one process, so /proc shows the peer itself). */
function peer(args: string[]): Peer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/hosts/cli/peer-cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore']
  })
  let out = ''
  const port = new Promise<number>((resolve) =>
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /listening on [\d.]+:(\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { child, port, exited }
}

/** A process's user + system CPU so far, in ms (Linux /proc; clock ticks are 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Context switches (wake-ups) of every thread of a process so far. */
function wakeUps(pid: number): number {
  let total = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8')
    total += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0)
    total += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0)
  }
  return total
}

// 1. Mouth-to-ear between two processes on loopback: a click track into A's microphone, every
// click found again in B's output, on the machine's monotonic clock (--stats "clock").
{
  const runs: Array<Record<string, unknown>> = []
  for (let run = 0; run < 3; run++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-latency-'))
    const seconds = 12
    const track = makeClickTrack(48000, seconds + 4, 250, run + 1)
    await writeWavFile(path.join(dir, 'clicks.wav'), { sampleRate: 48000, samples: track.samples })
    const b = peer([
      '--name',
      'B',
      '--listen',
      '127.0.0.1:0',
      '--record',
      path.join(dir, 'b.wav'),
      '--stats',
      path.join(dir, 'b.json')
    ])
    const a = peer([
      '--name',
      'A',
      '--listen',
      '127.0.0.1:0',
      '--join',
      `127.0.0.1:${await b.port}`,
      '--mic',
      path.join(dir, 'clicks.wav'),
      '--talk',
      `2-${seconds + 2}`,
      '--duration',
      String(seconds + 3),
      '--stats',
      path.join(dir, 'a.json')
    ])
    await a.exited
    b.child.kill('SIGTERM')
    await b.exited
    const aStats = JSON.parse(await readFile(path.join(dir, 'a.json'), 'utf8'))
    const bStats = JSON.parse(await readFile(path.join(dir, 'b.json'), 'utf8'))
    const heard = await readWavFile(path.join(dir, 'b.wav'))
    // Clicks while A talks, after the first second of it (the handshake may still be finishing).
    const clicks = track.clicks
      .map((c) => aStats.clock.micFirstSampleMs + (c * 1000) / 48000)
      .filter(
        (t) => t > aStats.clock.micFirstSampleMs + 3000 && t < aStats.clock.micFirstSampleMs + (seconds + 1.8) * 1000
      )
    const onsets = findOnsets(heard.samples, heard.sampleRate).map(
      (o) => bStats.clock.recordFirstSampleMs + (o * 1000) / heard.sampleRate
    )
    const { latencies, missed } = matchLatencies(clicks, onsets)
    const p50 = percentile(latencies, 0.5)
    const s = { ...bStats.stages, framedToSent: aStats.stages.framedToSent }
    const network = s.captureToArrival - 20 - s.framedToSent
    runs.push({
      clicks: clicks.length,
      missed,
      p50: round(p50),
      p95: round(percentile(latencies, 0.95)),
      min: round(percentile(latencies, 0)),
      max: round(percentile(latencies, 1)),
      reportedByB: bStats.latencyMs,
      underruns: bStats.underruns,
      lost: bStats.lost,
      stagesMs: {
        frame: 20,
        encodeAndSend: round(s.framedToSent, 2),
        network: round(network, 2),
        reorder: round(s.reorder, 2),
        decode: round(s.decode, 2),
        queue: round(s.queue, 2),
        'codec delay and output (the rest)': round(
          p50! - 20 - s.framedToSent - network - s.reorder - s.decode - s.queue,
          2
        )
      }
    })
    await rm(dir, { recursive: true, force: true })
  }
  emit('mouth-to-ear-ms', {
    path: 'A mic (10 ms periods) → 20 ms frame → Opus → UDP loopback → reorder → decode → playout → B output (5 ms blocks)',
    runs,
    target: 'p50 <= 45, p95 <= 60'
  })
}

// What talkers send: our own encoding of speech, one 20 ms frame a packet.
const speechDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'))
const speech = await readWavFile(
  speechWav(
    speechDir,
    'Every listener decodes every talker, so the room costs what its talkers say, and nothing more when nobody talks.'
  )
)
await rm(speechDir, { recursive: true, force: true })
const { packets } = await encodeAudio(speech, 1n)

/** A listener peer and `talkers` members streaming speech at it, verified and sealed as in the app. */
async function room(talkers: number, talking: boolean) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'))
  const listener = peer([
    '--name',
    'listener',
    '--listen',
    '127.0.0.1:0',
    '--sample-rate',
    '48000',
    '--stats',
    path.join(dir, 's.json')
  ])
  const port = await listener.port
  const members = await Promise.all(
    Array.from({ length: talkers }, async (_, t) => {
      const identity = generateIdentity()
      const transport = await openLanTransport(`talker${t}`, { identity })
      void transport.join('127.0.0.1', port).catch(() => {}) // the room's forming is awaited below, with its own deadline
      return { transport, stream: packets.map((p) => resignPacket(p, identity.steamId)) }
    })
  )
  const verified = (t: LanTransport) => [...t.members.values()].some((m) => m.auth === 'verified')
  const deadline = performance.now() + 15_000
  while (members.some((m) => !verified(m.transport))) {
    if (performance.now() > deadline) throw new Error(`a room of ${talkers + 1} did not form within 15 s`)
    await sleep(20)
  }
  let index = 0
  const sender = new FixedRateTimer(realScheduler, 20, () => {
    const now = performance.now()
    for (const member of members) {
      const packet = member.stream[index % member.stream.length]!
      member.transport.sendVoice(packet, packet.length, now - 20)
    }
    index++
  })
  if (talking) sender.start()
  return {
    pid: listener.child.pid!,
    async close() {
      sender.stop()
      listener.child.kill('SIGTERM')
      await listener.exited
      const stats = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'))
      await Promise.all(members.map((m) => m.transport.close()))
      await rm(dir, { recursive: true, force: true })
      return stats
    }
  }
}

// 2. A listener's CPU (its own process) while everyone else talks: decode, reorder, playout, output.
for (const talkers of [1, 7, 15, 31]) {
  const r = await room(talkers, true)
  await sleep(5000) // warm-up: loading, JIT, wasm tier-up, first decoders
  const cpuBefore = processCpuMs(r.pid)
  const wall = performance.now()
  await sleep(10_000)
  const cpu = ((processCpuMs(r.pid) - cpuBefore) / (performance.now() - wall)) * 100
  const stats = await r.close()
  emit('listener-cpu', {
    members: talkers + 1,
    talking: talkers,
    rate: 48000,
    listenerCpuPercentOfOneCore: round(cpu),
    gcRunsPerSecondOfAudio: round(stats.gc.runs / stats.gc.seconds, 2),
    underruns: stats.underruns,
    lost: stats.lost,
    target:
      talkers === 15
        ? '<= 10% at 32 talkers (a room of 32 needs issue 14: its roster outgrows one datagram)'
        : undefined
  })
}

// 3. Idle: a room of three where nobody talks.
{
  const r = await room(2, false)
  await sleep(2000)
  const cpuBefore = processCpuMs(r.pid)
  const wakeBefore = wakeUps(r.pid)
  const wall = performance.now()
  await sleep(10_000)
  const seconds = (performance.now() - wall) / 1000
  const cpu = ((processCpuMs(r.pid) - cpuBefore) / (seconds * 1000)) * 100
  const wakes = (wakeUps(r.pid) - wakeBefore) / seconds
  await r.close()
  emit('idle-room', {
    members: 3,
    listenerCpuPercentOfOneCore: round(cpu, 2),
    wakeUpsPerSecond: round(wakes),
    target: '< 1% of a core'
  })
}
