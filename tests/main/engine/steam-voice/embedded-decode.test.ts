import { randomBytes } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeAudio } from '../../../../src/main/engine/steam-voice/offline-codec'
import { peakDbfs } from '../../../../src/main/engine/audio/level'
import { OpusDecoder } from '../../../../src/main/engine/codec/opus-wasm'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { crc32 } from '../../../../src/main/engine/steam-voice/crc32'
import { VoicePacketWriter } from '../../../../src/main/engine/steam-voice/voice-packet'
import { splitSteamId } from '../../../../src/shared/steam-id'
import { EVoiceResult } from '../../../../src/main/engine/steam-voice/voice-result'
import { noise } from '../../../support/audio'
import { fixturePackets, skipIfNoSteamCapture, steamCaptureMissing } from '../../../support/steam-voice-fixture'

/** The real capture where it is here; the tests that need it skip themselves otherwise. */
let packets: Uint8Array[] = []
/** Our own encoding of four seconds of noise: voice packets any clone can make. */
let ours: Uint8Array[]
beforeAll(async () => {
  if (!steamCaptureMissing()) packets = fixturePackets()
  ours = (await encodeAudio({ sampleRate: 24000, samples: noise(96000, -20, 3) }, 5n)).packets
})

/** Decodes the whole capture through decompressVoice, as one stream. */
async function decodeAll(rate: number): Promise<{ pcm: Int16Array; voice: EmbeddedSteamVoice; results: number[] }> {
  const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
  const chunks: Int16Array[] = []
  const results: number[] = []
  for (const packet of packets) {
    const out = voice.decompressVoice(packet, rate)
    results.push(out.result)
    chunks.push(new Int16Array(out.uncompressed.buffer.slice(0, out.size)))
  }
  const pcm = new Int16Array(chunks.reduce((n, c) => n + c.length, 0))
  chunks.reduce((offset, c) => (pcm.set(c, offset), offset + c.length), 0)
  return { pcm, voice, results }
}

// 991 frames received + 37 lost and concealed, 20 ms each.
const CAPTURE_FRAMES = 1028

describe('EmbeddedSteamVoice.decompressVoice on a real Steam capture', () => {
  beforeEach(skipIfNoSteamCapture)
  it.each([24000, 11025, 44100, 48000])(
    'decodes every packet at %i Hz, to the length the capture covers',
    async (rate) => {
      const { pcm, voice, results } = await decodeAll(rate)
      expect(results.every((r) => r === EVoiceResult.OK)).toBe(true)
      expect(voice.stats).toMatchObject({
        packets: 400,
        frames: 991,
        concealed: 37,
        resets: 0,
        badCrc: 0,
        corrupted: 0
      })
      const expected = (CAPTURE_FRAMES * rate) / 50
      // Resampled rates lose only the resampler's filter delay (a few ms).
      expect(pcm.length).toBeLessThanOrEqual(Math.ceil(expected))
      expect(pcm.length).toBeGreaterThan(expected - rate * 0.005)
      expect(peakDbfs(pcm)).toBeGreaterThan(-3)
      expect(peakDbfs(pcm)).toBeLessThan(0)
    }
  )

  it('at 24000 Hz equals a decode made here with the codec and the same concealment rules', async () => {
    const { pcm } = await decodeAll(24000)
    // Independent walk of the format: frames in order, PLC for each missing sequence number.
    const decoder = new OpusDecoder(24000)
    const reference: number[] = []
    let expected = -1
    for (const packet of packets) {
      const chunkEnd = 14 + (packet[12]! | (packet[13]! << 8))
      let i = 14
      while (i < chunkEnd) {
        const length = packet[i]! | (packet[i + 1]! << 8)
        const sequence = packet[i + 2]! | (packet[i + 3]! << 8)
        if (expected >= 0)
          for (let gap = sequence - expected; gap > 0; gap--)
            reference.push(...decoder.pcm().subarray(0, decoder.conceal()))
        reference.push(...decoder.pcm().subarray(0, decoder.decode(packet, i + 4, length)))
        expected = sequence + 1
        i += 4 + length
      }
    }
    expect(pcm.length).toBe(reference.length)
    let maxDifference = 0
    for (let s = 0; s < pcm.length; s++) maxDifference = Math.max(maxDifference, Math.abs(pcm[s]! - reference[s]!))
    expect(maxDifference).toBeLessThanOrEqual(1)
  })
})

describe('EmbeddedSteamVoice.decompressVoice refuses what is not a voice packet', () => {
  const first = () => ours[0]!.slice()

  it.each([
    ['a corrupted byte', () => ((p: Uint8Array) => ((p[20]! ^= 0x10), p))(first())],
    ['a truncated packet', () => first().slice(0, 40)],
    ['an oversized packet', () => new Uint8Array(9000)],
    ['random bytes', () => randomBytes(200)],
    ['an empty buffer', () => new Uint8Array(0)]
  ])('%s is DataCorrupted, with no audio', async (_what, make) => {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    const out = voice.decompressVoice(make(), 24000)
    expect(out.result).toBe(EVoiceResult.DataCorrupted)
    expect(out.size).toBe(0)
  })

  it('a packet whose CRC is right but whose Opus is garbage is DataCorrupted, or decodes to something bounded', async () => {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    for (let i = 0; i < 300; i++) {
      const writer = new VoicePacketWriter(1, 0)
      writer.begin()
      const junk = randomBytes(1 + (i % 200))
      writer.addFrame(i, junk, junk.length)
      const length = writer.finish()
      const out = voice.decompressVoice(writer.bytes, 48000, length)
      expect([EVoiceResult.OK, EVoiceResult.DataCorrupted]).toContain(out.result)
      expect(out.size).toBeLessThanOrEqual(2 * 48000 * 2 * 2)
    }
  })

  it('refuses silence runs that would decode to minutes of audio', async () => {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    const writer = new VoicePacketWriter(1, 0)
    writer.begin()
    for (let i = 0; i < 200; i++) writer.addSilence(65535)
    const out = voice.decompressVoice(writer.bytes, 48000, writer.finish())
    expect(out.result).toBe(EVoiceResult.DataCorrupted)
  })

  it('answers a rate outside 11025..48000 without decoding', async () => {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    expect(voice.decompressVoice(first(), 8000).result).toBe(EVoiceResult.UnsupportedCodec)
    expect(voice.decompressVoice(first(), 96000).result).toBe(EVoiceResult.UnsupportedCodec)
    expect(voice.stats.packets).toBe(0)
  })
})

describe('decoder state per speaker', () => {
  /** The capture re-signed as if spoken by `steamId`, with the CRC fixed. */
  const as = (packet: Uint8Array, steamId: bigint): Uint8Array => {
    const copy = packet.slice()
    const { low, high } = splitSteamId(steamId)
    const view = new DataView(copy.buffer)
    view.setUint32(0, low, true)
    view.setUint32(4, high, true)
    view.setUint32(copy.length - 4, crc32(copy, 0, copy.length - 4), true)
    return copy
  }

  it('two speakers interleaved decode exactly as each would alone', async () => {
    const mixed = await EmbeddedSteamVoice.create({ steamId: 1n })
    expect(ours.length).toBeGreaterThan(60)
    const a = ours.slice(0, 30).map((p) => as(p, 111n))
    const b = ours.slice(30, 60).map((p) => as(p, 222n))
    // Decode A alone, then A and B interleaved, and compare A's output.
    const soloVoice = await EmbeddedSteamVoice.create({ steamId: 1n })
    const solo = a.map((p) => Array.from(copyOut(soloVoice.decompressVoice(p, 24000))))
    const interleaved: number[][] = []
    for (let i = 0; i < 30; i++) {
      interleaved.push(Array.from(copyOut(mixed.decompressVoice(a[i]!, 24000))))
      expect(mixed.decompressVoice(b[i]!, 24000).result).toBe(EVoiceResult.OK)
    }
    expect(interleaved).toEqual(solo)
  })

  it('conceals a gap of up to 10 frames, and restarts the stream on a backwards jump or a longer gap', async () => {
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    const frame = (sequence: number) => {
      const writer = new VoicePacketWriter(5, 0)
      writer.begin()
      const opus = ours[0]!.subarray(18, 18 + (ours[0]![14]! | (ours[0]![15]! << 8)))
      writer.addFrame(sequence, opus, opus.length)
      return writer.bytes.slice(0, writer.finish())
    }
    const samples = (sequence: number) => voice.decompressVoice(frame(sequence), 24000).size / 2
    expect(samples(100)).toBe(480)
    expect(samples(105)).toBe(480 * 5) // 4 concealed + 1
    expect(voice.stats.concealed).toBe(4)
    expect(samples(116)).toBe(480 * 11) // gap of exactly 10: concealed
    expect(samples(140)).toBe(480) // gap of 23: a new stream, nothing invented
    expect(samples(3)).toBe(480) // backwards: their encoder restarted
    expect(voice.stats).toMatchObject({ concealed: 14, resets: 2 })
    expect(samples(4)).toBe(480)
    expect(samples(65535)).toBe(480) // backwards across the wrap-around
    expect(samples(0)).toBe(480) // and forwards across it
  })
})

function copyOut(out: { size: number; uncompressed: Uint8Array }): Int16Array {
  return new Int16Array(
    out.uncompressed.buffer.slice(out.uncompressed.byteOffset, out.uncompressed.byteOffset + out.size)
  )
}
