// `npm run bench -- --only voice`: the codec figures, one JSON line each. Speeds are compared
// within this run (ratios), since absolute timings on shared machines are noise.
import { createRequire } from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readWavFile } from '../src/main/engine/audio/wav-file'
import { OpusDecoder } from '../src/main/engine/codec/opus-wasm'
import { EmbeddedSteamVoice } from '../src/main/engine/steam-voice/embedded-steam-voice'
import { encodeAudio } from '../src/main/engine/steam-voice/offline-codec'
import { EVENT_FRAME, parseVoicePacket, VoicePacketView } from '../src/main/engine/steam-voice/voice-packet'
import { speechWav } from '../tests/support/audio'
import { fixturePackets, steamCaptureMissing } from '../tests/support/steam-voice-fixture'
import { resignPacket } from './resign-packet'

const require = createRequire(import.meta.url)

function emit(figure: string, values: Record<string, unknown>): void {
  console.log(JSON.stringify({ figure, ...values }))
}
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits

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

/** The Opus frames of some packets, with their sequence numbers. */
function opusFrames(packets: Uint8Array[]): Array<{ sequence: number; bytes: Uint8Array }> {
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
  return frames
}

// Speech in our own encoding (what a Parley member sends): needs nothing beside the clone.
const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'))
const speech = await readWavFile(
  speechWav(
    dir,
    'The quick brown fox jumps over the lazy dog. Parley carries voice between friends on the same network, one packet at a time, and every listener decodes it at the rate they chose.'
  )
)
await rm(dir, { recursive: true, force: true })
const { packets: ours } = await encodeAudio(speech, 76561198000000001n)
const oursSeconds = speech.samples.length / speech.sampleRate

// 1. Which Opus package (on the real Steam capture, where it is here).
const missing = steamCaptureMissing()
if (missing) {
  emit('opus-decode-us-per-frame', { skipped: missing })
} else {
  const frames = opusFrames(fixturePackets())
  const { Decoder } = require('@evan/opus') as { Decoder: new (o: object) => { decode(b: Uint8Array): Uint8Array } }
  const OpusScript = require('opusscript') as {
    new (rate: number, channels: number, application: number): { decode(b: Buffer): Buffer }
    Application: { VOIP: number }
  }
  const native = new Decoder({ channels: 1, sample_rate: 24000 })
  const script = new OpusScript(24000, 1, OpusScript.Application.VOIP)
  const wasm = new OpusDecoder(24000)
  const buffers = frames.map((f) => Buffer.from(f.bytes))
  const perFrame = (ms: number) => round((ms / frames.length) * 1000, 1)
  const [nativeMs, oursMs, scriptMs] = timeTogether([
    () => frames.forEach((f) => native.decode(f.bytes)),
    () => frames.forEach((f) => wasm.decode(f.bytes)),
    () => buffers.forEach((b) => script.decode(b))
  ]) as [number, number, number]
  emit('opus-decode-us-per-frame', {
    '@evan/opus native (no exact-size PLC)': perFrame(nativeMs),
    '@evan/opus wasm via our binding (chosen)': perFrame(oursMs),
    opusscript: perFrame(scriptMs),
    ratioOursToNative: round(nativeMs / oursMs, 2)
  })
}

// 2. decompressVoice at every offered rate against the raw decoder at 48 kHz (target: at most 1.25×).
{
  const frames = opusFrames(ours)
  const raw48 = new OpusDecoder(48000)
  const rawAt48 = () => {
    for (const frame of frames) raw48.decode(frame.bytes)
  }
  const rates = [11025, 16000, 22050, 24000, 32000, 44100, 48000]
  const voices = await Promise.all(rates.map(() => EmbeddedSteamVoice.create({ steamId: 1n })))
  const runs = rates.map((rate, i) => () => {
    for (const packet of ours) voices[i]!.decompressVoice(packet, rate)
  })
  const times = timeTogether([rawAt48, ...runs], 21)
  const rawMs = times[0]!
  emit('decompress-voice-cost', {
    rawDecoderAt48kHzMsPerSecondOfAudio: round(rawMs / oursSeconds),
    ...Object.fromEntries(
      rates.map((rate, i) => [`${rate}Hz`, `${round(times[i + 1]! / rawMs, 2)}× the raw decoder at 48 kHz`])
    ),
    target: '<= 1.25×'
  })
}

// 3. Decode CPU for N speakers at 48 kHz: the share of a core per second of audio.
for (const speakers of [1, 8, 32]) {
  const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
  const streams = Array.from({ length: speakers }, (_, s) =>
    ours.map((p) => resignPacket(p, 76561198000000000n + BigInt(s)))
  )
  for (const packet of streams[0]!.slice(0, 20)) voice.decompressVoice(packet, 48000) // warm up
  const before = process.cpuUsage()
  for (let i = 0; i < ours.length; i++) {
    for (let s = 0; s < speakers; s++) voice.decompressVoice(streams[s]![i]!, 48000)
  }
  const used = process.cpuUsage(before)
  const cpuSeconds = (used.user + used.system) / 1e6
  emit('decode-cpu', {
    rate: 48000,
    speakers,
    audioSeconds: round(oursSeconds, 2),
    shareOfOneCore: `${round((cpuSeconds / oursSeconds) * 100, 2)}%`
  })
}
