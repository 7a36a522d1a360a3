import type { MonoPcm } from '../audio/wav-file'
import { WavFileSource } from '../capture/wav-file-source'
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
 * Records `audio` as if spoken into a microphone while push-to-talk is held, with the pump's
 * 10 ms polling, on a simulated clock.
 */
export async function encodeAudio(
  audio: MonoPcm,
  steamId: bigint
): Promise<{ packets: Uint8Array[]; summary: EncodeSummary }> {
  let now = 0
  const source = new WavFileSource(audio, () => now)
  const voice = await EmbeddedSteamVoice.create({ steamId, microphone: source, clock: () => now })
  const packets: Uint8Array[] = []
  voice.startVoiceRecording()
  for (let polls = 0; polls < 1_000_000; polls++) {
    now += 10
    if (source.ended) voice.stopVoiceRecording()
    const captured = voice.getVoice()
    if (captured.result === EVoiceResult.OK) packets.push(captured.buffer.slice(0, captured.written))
    else if (captured.result === EVoiceResult.NotRecording) break
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
