// The long runs behind issue 14's targets: a million structured-fuzz datagrams at a live call
// (0 crashes, 0 handler errors, the call still correlating with what was said), and a 10 s flood
// of 10,000 first handshake messages a second at a peer process (its memory, from outside).
import { createSocket, type Socket } from 'node:dgram'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readWavFile } from '../src/main/engine/audio/wav-file'
import { decodeCapture, encodeAudio } from '../src/main/engine/steam-voice/offline-codec'
import { generateIdentity } from '../src/main/engine/auth/lan-identity'
import { DatagramWriter } from '../src/main/engine/transport/wire-protocol'
import { speechWav, windowedCorrelation } from '../tests/support/audio'
import { structuredFuzz } from '../tests/support/lan-fuzz'
import { LanStranger } from '../tests/support/lan-stranger'
import { peerProcess, startCall } from '../tests/support/peer-process'

const FUZZ_DATAGRAMS = 1_000_000
// Two cores hold the fuzzer, B and A: at 8,000 a second B's audio thread was starved now and then.
const FUZZ_PER_SECOND = 5000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-hostile-'))
try {
  // Never the same sentence twice: a repeating signal would align anywhere.
  const text = Array.from(
    { length: 40 },
    (_, i) => `Sentence ${i + 1}: the number ${(i * 37) % 101} comes after ${i * 3} words.`
  )
  const speechFile = speechWav(dir, text.join(' '))
  const speech = await readWavFile(speechFile)

  // 1. Structured fuzz at B (a peer process) while A (another) talks to it; the fuzzer is this process.
  const seconds = FUZZ_DATAGRAMS / FUZZ_PER_SECOND
  const call = await startCall(dir, 'fuzz', {
    mic: speechFile,
    talk: `2-${Math.ceil(seconds) + 10}`,
    duration: Math.ceil(seconds) + 6
  })
  const bAddress = { host: '127.0.0.1', port: call.bPort }
  const identity = generateIdentity()
  const mallory = await LanStranger.open(identity.steamId)
  const validTicket = await mallory.join(bAddress, identity)
  await sleep(2000)
  const counts = await structuredFuzz(mallory, bAddress, { seconds, perSecond: FUZZ_PER_SECOND, seed: 7, validTicket })
  mallory.close()
  const { a: aExit, b: bExit } = await call.finish()
  const stats = JSON.parse(await readFile(call.files.bStats, 'utf8'))
  const heard = await readWavFile(call.files.bRecording)
  // What A said over 20 s late in the run, found in what B played (its microphone file plays from its start).
  const at = Math.max(5, Math.min(seconds - 20, 100))
  const spoken = speech.samples.subarray(Math.round(at * speech.sampleRate), Math.round((at + 20) * speech.sampleRate))
  const played = heard.samples.subarray(
    Math.round((at - 5) * heard.sampleRate),
    Math.round((at + 25) * heard.sampleRate)
  )
  // The same window through the codec alone, offline: the most the call could correlate.
  const window = {
    sampleRate: speech.sampleRate,
    samples: speech.samples.subarray(
      Math.round((at - 5) * speech.sampleRate),
      Math.round((at + 25) * speech.sampleRate)
    )
  }
  const { packets } = await encodeAudio(window, 1n)
  const { pcm: codecAlone } = await decodeCapture(packets, speech.sampleRate)
  console.log(
    JSON.stringify({
      bench: 'structured fuzz at a live call (peer processes)',
      codecAloneCorrelation: Number(windowedCorrelation(spoken, codecAlone.samples, speech.sampleRate).toFixed(3)),
      datagrams: counts.sent,
      seconds,
      bExitCode: bExit.code,
      aExitCode: aExit.code,
      dropped: stats.dropped,
      received: stats.received,
      concealed: stats.concealed,
      underruns: stats.underruns,
      latencyMs: stats.latencyMs,
      callCorrelationLateInTheRun: Number(windowedCorrelation(spoken, played, heard.sampleRate).toFixed(3)),
      byKind: counts.byKind
    })
  )

  // 2. A 10 s flood at a peer process.
  const peer = peerProcess('--name', 'B', '--listen', '127.0.0.1:0', '--stats', path.join(dir, 'flood.json'))
  const port = await peer.port
  await sleep(1000)
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${peer.child.pid}/status`, 'utf8'))![1]) / 1024
  const before = await rss()
  const sockets: Socket[] = await Promise.all(
    Array.from({ length: 16 }, async () => {
      const socket = createSocket('udp4')
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
      return socket
    })
  )
  let sent = 0
  let peak = before
  const started = Date.now()
  for (let tick = 0; tick < 1000; tick++) {
    const due = started + tick * 10
    for (let i = 0; i < 100; i++) {
      const id = 1000n + BigInt(sent)
      const writer = new DatagramWriter(Number(id & 0xffffffffn), Number(id >> 32n))
      sockets[sent % 16]!.send(
        LanStranger.handshakeDatagram(writer, 1, new Uint8Array(32).fill(sent & 0xff), sent),
        port,
        '127.0.0.1'
      )
      sent++
    }
    if (tick % 100 === 0) peak = Math.max(peak, await rss())
    await sleep(Math.max(0, due + 10 - Date.now()))
  }
  const elapsed = (Date.now() - started) / 1000
  peak = Math.max(peak, await rss())
  for (const socket of sockets) socket.close()
  peer.child.kill('SIGTERM')
  await peer.exited
  const floodStats = JSON.parse(await readFile(path.join(dir, 'flood.json'), 'utf8'))
  console.log(
    JSON.stringify({
      bench: 'flood of first handshake messages at a peer process',
      sent,
      seconds: Number(elapsed.toFixed(1)),
      perSecond: Math.round(sent / elapsed),
      rssBeforeMb: Number(before.toFixed(1)),
      rssPeakMb: Number(peak.toFixed(1)),
      dropped: floodStats.dropped
    })
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
