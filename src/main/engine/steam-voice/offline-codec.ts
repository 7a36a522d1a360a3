import type { MonoPcm } from '../audio/wav-file'
import { EmbeddedSteamVoice } from './embedded-steam-voice'
import { EVoiceResult } from './voice-result'

/** Whole files through the embedded Steam Voice, faster than real time (for the CLI and tests). */

export interface DecodeSummary {
  packets: number
  frames: number
  concealed: number
  badCrc: number
  corrupted: number
  seconds: number
}

export async function decodeCapture(
  packets: Uint8Array[],
  rate: number
): Promise<{ pcm: MonoPcm; summary: DecodeSummary }> {
  const voice = await EmbeddedSteamVoice.create({ steamId: 0n })
  const chunks: Int16Array[] = []
  let samples = 0
  for (const packet of packets) {
    const out = voice.decompressVoice(packet, rate)
    if (out.result !== EVoiceResult.OK) continue
    const copy = voice.lastPcm().slice(0, out.size >> 1)
    chunks.push(copy)
    samples += copy.length
  }
  const pcm = new Int16Array(samples)
  let offset = 0
  for (const chunk of chunks) {
    pcm.set(chunk, offset)
    offset += chunk.length
  }
  const { frames, concealed, badCrc, corrupted } = voice.stats
  voice.free()
  return {
    pcm: { sampleRate: rate, samples: pcm },
    summary: {
      packets: packets.length,
      frames,
      concealed,
      badCrc,
      corrupted,
      seconds: Math.round((samples / rate) * 1000) / 1000
    }
  }
}

export interface EncodeSummary {
  packets: number
  frames: number
  bytes: number
  seconds: number
}

/**
 * Records `audio` as if spoken into a microphone while push-to-talk is held: delivered 10 ms at a
 * time on a simulated clock, each packet read as soon as it is ready (as the pump does).
 */
export async function encodeAudio(
  audio: MonoPcm,
  steamId: bigint
): Promise<{ packets: Uint8Array[]; summary: EncodeSummary }> {
  let now = 0
  const voice = await EmbeddedSteamVoice.create({ steamId, clock: () => now })
  const packets: Uint8Array[] = []
  const read = (): EVoiceResult => {
    const captured = voice.getVoice()
    if (captured.result === EVoiceResult.OK) packets.push(captured.buffer.slice(0, captured.written))
    return captured.result
  }
  voice.onVoiceAvailable = () => void read()
  voice.startVoiceRecording()
  const chunk = Math.round(audio.sampleRate / 100)
  for (let at = 0; at < audio.samples.length; at += chunk) {
    now += 10
    voice.pushMicrophone(audio.samples, at, Math.min(chunk, audio.samples.length - at), audio.sampleRate, now)
  }
  // Release: the tail runs on silence until it ends.
  voice.stopVoiceRecording()
  const silence = new Int16Array(chunk)
  for (let polls = 0; polls < 1000 && read() !== EVoiceResult.NotRecording; polls++) {
    now += 10
    voice.pushMicrophone(silence, 0, chunk, audio.sampleRate, now)
  }
  const frames = voice.captureStats.sent
  voice.free()
  return {
    packets,
    summary: {
      packets: packets.length,
      frames,
      bytes: packets.reduce((n, p) => n + p.length, 0),
      seconds: Math.round((audio.samples.length / audio.sampleRate) * 1000) / 1000
    }
  }
}
