import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../../../../src/main/engine/steam-voice/crc32'
import {
  EVENT_END,
  EVENT_FRAME,
  EVENT_SILENCE,
  parseVoicePacket,
  VoicePacketView,
  VoicePacketWriter
} from '../../../../src/main/engine/steam-voice/voice-packet'
import { joinSteamId, splitSteamId } from '../../../../src/shared/steam-id'
import { fixturePackets, skipIfNoSteamCapture } from '../../../support/steam-voice-fixture'

const STEAM_ID = 76561198271731523n

function written(build: (w: VoicePacketWriter) => void): Uint8Array {
  const { low, high } = splitSteamId(STEAM_ID)
  const writer = new VoicePacketWriter(low, high)
  writer.begin()
  build(writer)
  return writer.bytes.slice(0, writer.finish())
}

/** Re-seals a packet whose bytes a test changed, so only the change under test is wrong. */
function reseal(packet: Uint8Array): Uint8Array {
  const copy = packet.slice()
  new DataView(copy.buffer).setUint32(copy.length - 4, crc32(copy, 0, copy.length - 4), true)
  return copy
}

describe('voice packets', () => {
  it('parses every packet of the real Steam capture: its SteamID, rate, and 991 frames', (context) => {
    skipIfNoSteamCapture(context)
    const view = new VoicePacketView()
    let frames = 0
    for (const packet of fixturePackets()) {
      expect(parseVoicePacket(packet, packet.length, view)).toBe('ok')
      expect(joinSteamId(view.steamIdLow, view.steamIdHigh)).toBe(STEAM_ID)
      expect(view.sampleRate).toBe(24000)
      for (let e = 0; e < view.eventCount; e++) if (view.eventKind[e] === EVENT_FRAME) frames++
    }
    expect(frames).toBe(991)
  })

  it('writes what it parses back: frames, silence, the end marker', () => {
    const a = Uint8Array.of(1, 2, 3)
    const b = Uint8Array.of(9, 8, 7, 6, 5)
    const packet = written((w) => {
      w.addFrame(41, a, 3)
      w.addFrame(42, b, 5)
      w.addSilence(960)
      w.addFrame(65535, a, 2)
      w.addEnd()
    })
    const view = new VoicePacketView()
    expect(parseVoicePacket(packet, packet.length, view)).toBe('ok')
    const events = Array.from({ length: view.eventCount }, (_, e) => [
      view.eventKind[e],
      view.eventValue[e],
      view.eventKind[e] === EVENT_FRAME
        ? [...packet.subarray(view.frameOffset[e], view.frameOffset[e]! + view.frameLength[e]!)]
        : null
    ])
    expect(events).toEqual([
      [EVENT_FRAME, 41, [1, 2, 3]],
      [EVENT_FRAME, 42, [9, 8, 7, 6, 5]],
      [EVENT_SILENCE, 960, null],
      [EVENT_FRAME, 65535, [1, 2]],
      [EVENT_END, 0, null]
    ])
  })

  it('keeps SteamIDs whole through the split and join', () => {
    for (const id of [0n, 1n, STEAM_ID, 0xffffffffffffffffn, 0x8000000000000001n]) {
      const { low, high } = splitSteamId(id)
      expect(joinSteamId(low, high)).toBe(id)
    }
  })

  const good = () => written((w) => w.addFrame(1, Uint8Array.of(0xfc, 1, 2, 3), 4))

  it.each([
    ['a flipped bit', (p: Uint8Array) => ((p[12]! ^= 1), p), 'bad-crc'],
    ['a truncated packet', (p: Uint8Array) => p.slice(0, p.length - 3), 'bad-crc'],
    ['too short to hold anything', () => Uint8Array.of(1, 2, 3), 'malformed'],
    ['an unknown opcode', (p: Uint8Array) => reseal(((p[11] = 0x42), p)), 'malformed'],
    ['a chunk longer than the packet', (p: Uint8Array) => reseal(((p[12] = 0xff), p)), 'malformed'],
    ['a frame longer than its chunk', (p: Uint8Array) => reseal(((p[14] = 0x40), p)), 'malformed'],
    ['a zero-length frame', (p: Uint8Array) => reseal(((p[14] = 0), p)), 'malformed'],
    ['another sample rate', (p: Uint8Array) => reseal(((p[9] = 0x44), (p[10] = 0xac), p)), 'malformed'],
    ['an oversized packet', () => reseal(new Uint8Array(8193)), 'malformed']
  ])('refuses %s', (_what, mangle, outcome) => {
    const packet = mangle(good())
    expect(parseVoicePacket(packet, packet.length, new VoicePacketView())).toBe(outcome)
  })

  it('survives thousands of random and half-random packets without throwing', () => {
    const view = new VoicePacketView()
    const seed = good()
    for (let i = 0; i < 5000; i++) {
      const random =
        i % 2 ? randomBytes(1 + (i % 300)) : reseal(seed.map((byte, j) => (j > 8 && j % 7 === i % 7 ? byte ^ i : byte)))
      const outcome = parseVoicePacket(random, random.length, view)
      expect(['ok', 'bad-crc', 'malformed']).toContain(outcome)
      if (outcome === 'ok') {
        for (let e = 0; e < view.eventCount; e++) {
          if (view.eventKind[e] === EVENT_FRAME)
            expect(view.frameOffset[e]! + view.frameLength[e]!).toBeLessThanOrEqual(random.length - 4)
        }
      }
    }
  })
})
