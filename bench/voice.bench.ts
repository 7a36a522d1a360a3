// `npm run bench`: the voice figures, one JSON line each. Speeds are compared within this run
// (ratios), since absolute timings on shared machines are noise. Results go in docs/.
import { createRequire } from 'node:module'
import { OpusDecoder } from '../src/main/engine/codec/opus-wasm'
import { VoiceEngine } from '../src/main/engine/pump/voice-pump'
import { resignPacket } from './resign-packet'
import { EmbeddedSteamVoice } from '../src/main/engine/steam-voice/embedded-steam-voice'
import { EVENT_FRAME, parseVoicePacket, VoicePacketView } from '../src/main/engine/steam-voice/voice-packet'
import type { Scheduler } from '../src/main/engine/time/scheduler'
import { fixturePackets, steamCaptureMissing } from '../tests/support/steam-voice-fixture'

const require = createRequire(import.meta.url)
const missing = steamCaptureMissing()
if (missing) {
  // Every figure here is measured on the real capture.
  console.log(JSON.stringify({ figure: 'voice', skipped: missing }))
  process.exit(0)
}
const packets = fixturePackets()
const CAPTURE_SECONDS = 20.56

function emit(figure: string, values: Record<string, unknown>): void {
  console.log(JSON.stringify({ figure, ...values }))
}

/**
 * Median timings (ms) of several functions, run alternately so that machine noise and JIT
 * phases fall on all of them alike.
 */
function timeTogether(fns: Array<() => void>, runs = 15): number[] {
  for (const fn of fns) fn() // warm up the JIT
  const samples = fns.map(() => [] as number[])
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      const start = performance.now()
      fn()
      samples[i]!.push(performance.now() - start)
    })
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(runs / 2)]!)
}

// The Opus frames of the capture, with their sequence numbers.
const view = new VoicePacketView()
const frames: Array<{ sequence: number; bytes: Uint8Array }> = []
for (const packet of packets) {
  parseVoicePacket(packet, packet.length, view)
  for (let e = 0; e < view.eventCount; e++) {
    if (view.eventKind[e] !== EVENT_FRAME) continue
    frames.push({
      sequence: view.eventValue[e]!,
      bytes: packet.slice(view.frameOffset[e], view.frameOffset[e]! + view.frameLength[e]!)
    })
  }
}

// 1. Which Opus package: the same frames through each candidate.
{
  const { Decoder } = require('@evan/opus') as { Decoder: new (o: object) => { decode(b: Uint8Array): Uint8Array } }
  const OpusScript = require('opusscript') as {
    new (rate: number, channels: number, application: number): { decode(b: Buffer): Buffer }
    Application: { VOIP: number }
  }
  const native = new Decoder({ channels: 1, sample_rate: 24000 })
  const script = new OpusScript(24000, 1, OpusScript.Application.VOIP)
  const ours = new OpusDecoder(24000)
  const buffers = frames.map((f) => Buffer.from(f.bytes))
  const perFrame = (ms: number) => Math.round((ms / frames.length) * 1000 * 10) / 10
  const [nativeMs, oursMs, scriptMs] = timeTogether([
    () => frames.forEach((f) => native.decode(f.bytes)),
    () => frames.forEach((f) => ours.decode(f.bytes)),
    () => buffers.forEach((b) => script.decode(b))
  ]) as [number, number, number]
  emit('opus-decode-us-per-frame', {
    '@evan/opus native (no exact-size PLC)': perFrame(nativeMs),
    '@evan/opus wasm via our binding (chosen)': perFrame(oursMs),
    opusscript: perFrame(scriptMs),
    ratioOursToNative: Math.round((nativeMs / oursMs) * 100) / 100
  })
}

// 2. decompressVoice against the raw codec on the same packets (target: at least 0.85).
{
  const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
  const raw = new OpusDecoder(24000)
  const [decompressMs, rawMs] = timeTogether(
    [
      () => {
        for (const packet of packets) voice.decompressVoice(packet, 24000)
      },
      () => {
        let expected = -1
        for (const frame of frames) {
          if (expected >= 0)
            for (let gap = (frame.sequence - expected) & 0xffff; gap > 0 && gap <= 10; gap--) raw.conceal()
          raw.decode(frame.bytes)
          expected = (frame.sequence + 1) & 0xffff
        }
      }
    ],
    31
  ) as [number, number]
  emit('decompress-voice-speed', {
    rate: 24000,
    rawCodecMsPerCapture: round(rawMs),
    decompressVoiceMsPerCapture: round(decompressMs),
    speedRatio: round(rawMs / decompressMs),
    target: '>= 0.85'
  })
}

// 3. Main-process CPU to pump and decode N speakers (the capture re-signed as N people).
const scheduler: Scheduler & { time: number } = {
  time: 0,
  now() {
    return this.time
  },
  setTimeout: () => 0,
  clearTimeout: () => {}
}
for (const rate of [48000, 44100]) {
  for (const speakers of [1, 8, 32]) {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    let mixed = 0
    const engine = new VoiceEngine({
      voice,
      outgoing: { sendVoice: () => {} },
      sampleRate: rate as 48000,
      scheduler,
      listener: { pcm: (_s, samples, count) => (mixed += samples[count >> 1]! & 1) }
    })
    const streams = Array.from({ length: speakers }, (_, s) =>
      packets.map((p) => resignPacket(p, 76561198000000000n + BigInt(s)))
    )
    const names = streams.map((_, s) => `speaker-${s}`)
    const before = process.cpuUsage()
    const wall = performance.now()
    for (let i = 0; i < packets.length; i++) {
      scheduler.time = (i * CAPTURE_SECONDS * 1000) / packets.length
      for (let s = 0; s < speakers; s++) engine.receive(names[s]!, streams[s]![i]!)
    }
    const used = process.cpuUsage(before)
    const cpuSeconds = (used.user + used.system) / 1e6
    emit('pump-and-decode-cpu', {
      rate,
      speakers,
      audioSeconds: CAPTURE_SECONDS,
      cpuSeconds: round(cpuSeconds),
      wallSeconds: round((performance.now() - wall) / 1000),
      shareOfOneCore: `${round((cpuSeconds / CAPTURE_SECONDS) * 100)}%`,
      target: speakers === 32 && rate === 48000 ? '< 10%' : undefined,
      checksum: mixed
    })
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
