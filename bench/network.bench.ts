// `npm run bench` (network part): mouth-to-ear latency through the whole engine on loopback, and
// a listener's CPU as the room grows. One JSON line per figure; results in docs/network.md.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Authentication, LanAuthBackend } from '../src/main/engine/auth/authentication'
import { generateIdentity } from '../src/main/engine/auth/lan-identity'
import { silentLogger } from '../src/main/engine/logging/logger'
import { LanTransport } from '../src/main/engine/transport/lan-transport'
import { VoiceRoom } from '../src/main/engine/call/voice-room'
import { PushedPcmSource } from '../src/main/engine/capture/pushed-pcm-source'
import { FixedRateTimer, realScheduler } from '../src/main/engine/time/scheduler'
import { resignPacket } from './resign-packet'
import { EmbeddedSteamVoice } from '../src/main/engine/steam-voice/embedded-steam-voice'
import { decodeCapture, encodeAudio } from '../src/main/engine/steam-voice/offline-codec'
import { fixturePackets, steamCaptureMissing } from '../tests/support/steam-voice-fixture'

const ROOT = path.resolve(import.meta.dirname, '..')
const emit = (figure: string, values: Record<string, unknown>) => console.log(JSON.stringify({ figure, ...values }))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10
}

// 1. Mouth-to-ear: a burst enters A's microphone source; when does it leave B's decoder?
{
  const RATE = 48000
  const CHUNK = RATE / 100 // the capture worklet pushes 10 ms at a time
  const mic = new PushedPcmSource(RATE)
  // Both authenticated, as the app is: tickets first, then every datagram sealed.
  const [aId, bId] = [generateIdentity(), generateIdentity()]
  const aVoice = await EmbeddedSteamVoice.create({ steamId: aId.steamId, microphone: mic })
  const bVoice = await EmbeddedSteamVoice.create({ steamId: bId.steamId })
  const open = (identity: typeof aId, name: string) =>
    LanTransport.open({
      localId: identity.steamId,
      name,
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      auth: new Authentication(new LanAuthBackend(identity))
    })
  const a = await open(aId, 'A')
  const b = await open(bId, 'B')
  const pushedAt: number[] = []
  const heardAt: number[] = []
  let quietSamples = 0
  const roomA = new VoiceRoom({ transport: a, voice: aVoice, sampleRate: 'optimal', logger: silentLogger })
  const roomB = new VoiceRoom({
    transport: b,
    voice: bVoice,
    sampleRate: 'optimal',
    logger: silentLogger,
    listener: {
      pcm: (_speaker, samples, count) => {
        const now = performance.now()
        for (let i = 0; i < count; i++) {
          if (Math.abs(samples[i]!) > 0.3 * 32768 && quietSamples > 2400) heardAt.push(now)
          quietSamples = Math.abs(samples[i]!) > 0.3 * 32768 ? 0 : quietSamples + 1
        }
      }
    }
  })
  roomA.start()
  roomB.start()
  b.join(a.address.host, a.address.port)
  const verified = (t: LanTransport) => [...t.members.values()].some((m) => m.auth === 'verified')
  while (!verified(a) || !verified(b)) await sleep(10)
  roomA.setTalking(true)

  // A quiet tone keeps the gate open; a loud 1 kHz burst every 300 ms is what we time.
  const chunk = new Int16Array(CHUNK)
  let sample = 0
  const pusher = new FixedRateTimer(realScheduler, 10, () => {
    let burst = false
    for (let i = 0; i < CHUNK; i++, sample++) {
      const inBurst = sample % (RATE * 0.3) < RATE * 0.01 && sample > RATE
      if (inBurst && sample % (RATE * 0.3) === 0) burst = true
      chunk[i] = Math.round(
        Math.sin((2 * Math.PI * (inBurst ? 1000 : 440) * sample) / RATE) * 32767 * (inBurst ? 0.8 : 0.03)
      )
    }
    mic.push(chunk)
    if (burst) pushedAt.push(performance.now())
  })
  pusher.start()
  await sleep(10_000)
  pusher.stop()
  await sleep(300)
  const latencies = pushedAt.slice(0, heardAt.length).map((t, i) => heardAt[i]! - t)
  emit('mouth-to-ear-latency-ms', {
    path: 'mic source push → capture → Opus → pump → UDP loopback → reorder → decode',
    settings: 'defaults (10 ms pump, optimal rate)',
    bursts: latencies.length,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    target: 'p50 <= 45, p95 <= 60',
    withPlayoutBufferP50: roomB.stats().latencyMs.p50
  })
  roomA.stop()
  roomB.stop()
  await Promise.all([a.close(), b.close()])
}

// 2. A listener's CPU (its own process) while everyone else in the room talks.
// The music of the real capture, re-encoded by our encoder: one 20 ms frame per packet, as a
// talking Parley member sends (the capture's own packets hold 1 to 6 frames at uneven times).
const missing = steamCaptureMissing()
if (missing) emit('listener-cpu-as-room-grows', { skipped: missing })
const { packets } = missing
  ? { packets: [] }
  : await encodeAudio((await decodeCapture(fixturePackets(), 24000)).pcm, 1n)
for (const members of missing ? [] : [2, 8, 16]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'))
  // node --import tsx: one process, so /proc shows the listener itself (the tsx CLI forks a child).
  const listener = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main/hosts/cli/peer-cli.ts',
      '--name',
      'listener',
      '--listen',
      '127.0.0.1:0',
      '--sample-rate',
      '48000',
      '--record',
      path.join(dir, 'r.wav'),
      '--stats',
      path.join(dir, 's.json')
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }
  )
  const port = await new Promise<number>((resolve) => {
    let out = ''
    listener.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /listening on [\d.]+:(\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
  })
  // The talkers: real room members streaming the real capture (already encoded: no encoder cost here).
  const talkers = await Promise.all(
    Array.from({ length: members - 1 }, async (_, t) => {
      const identity = generateIdentity()
      const transport = await LanTransport.open({
        localId: identity.steamId,
        name: `talker${t}`,
        host: '127.0.0.1',
        port: 0,
        logger: silentLogger,
        auth: new Authentication(new LanAuthBackend(identity))
      })
      transport.join('127.0.0.1', port)
      return { transport, stream: packets.map((p) => resignPacket(p, identity.steamId)) }
    })
  )
  // Talking starts once each talker and the listener have accepted each other's tickets.
  const verified = (t: LanTransport) => [...t.members.values()].some((m) => m.auth === 'verified')
  while (talkers.some((t) => !verified(t.transport))) await sleep(20)
  let index = 0
  const sender = new FixedRateTimer(realScheduler, 20, () => {
    for (const talker of talkers) {
      const packet = talker.stream[index % talker.stream.length]!
      talker.transport.sendVoice(packet, packet.length)
    }
    index++
  })
  sender.start()
  await sleep(2000) // warm-up: JIT, first decoders
  const before = processCpuMs(listener.pid!)
  const wallBefore = performance.now()
  await sleep(5000)
  const after = processCpuMs(listener.pid!)
  const steadyCpu = ((after - before) / (performance.now() - wallBefore)) * 100
  sender.stop()
  listener.kill('SIGTERM')
  await new Promise((resolve) => listener.once('exit', resolve))
  const stats = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'))
  emit('listener-cpu-as-room-grows', {
    members,
    talking: members - 1,
    listenerCpuPercentOfOneCore: Math.round(steadyCpu * 10) / 10,
    received: stats.received,
    underruns: stats.underruns,
    note: 'steady state over 5 s (after 2 s warm-up), from /proc; decode, reorder, playout and a 10 ms mix at 48 kHz'
  })
  await Promise.all(talkers.map((t) => t.transport.close()))
  await rm(dir, { recursive: true, force: true })
}

/** A process's user + system CPU so far, in ms (Linux /proc; clock ticks are 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}
