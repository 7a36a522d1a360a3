import { describe, expect, it } from 'vitest'
import { decodeCapture } from '../../../../src/main/engine/steam-voice/offline-codec'
import {
  EVENT_END,
  EVENT_FRAME,
  EVENT_SILENCE,
  parseVoicePacket,
  VoicePacketView
} from '../../../../src/main/engine/steam-voice/voice-packet'
import { VoicePacketSplitter } from '../../../../src/main/engine/steam-voice/voice-packet-splitter'
import { splitSteamId } from '../../../../src/shared/steam-id'
import { bigVoicePacket } from '../../../support/big-voice-packet'

const STEAM_ID = 76561198000000001n
const { low, high } = splitSteamId(STEAM_ID)

/** What a packet holds, event by event: frames as "sequence:bytes", silence as "silence:n", "end". */
function events(packet: Uint8Array): string[] {
  const view = new VoicePacketView()
  expect(parseVoicePacket(packet, packet.length, view)).toBe('ok')
  const out: string[] = []
  for (let e = 0; e < view.eventCount; e++) {
    const kind = view.eventKind[e]
    if (kind === EVENT_FRAME) {
      const frame = packet.subarray(view.frameOffset[e]!, view.frameOffset[e]! + view.frameLength[e]!)
      out.push(`${view.eventValue[e]}:${Buffer.from(frame).toString('hex')}`)
    } else if (kind === EVENT_SILENCE) out.push(`silence:${view.eventValue[e]}`)
    else if (kind === EVENT_END) out.push('end')
  }
  return out
}

describe('VoicePacketSplitter', () => {
  it('splits a big packet into valid packets under the limit, with every frame, silence and end in order; the audio is the same', async () => {
    const big = await bigVoicePacket(STEAM_ID)
    expect(big.length).toBeGreaterThan(4000)
    const pieces: Array<{ bytes: Uint8Array; startsAfterMs: number }> = []
    const split = new VoicePacketSplitter(low, high).split(big, big.length, 1176, (piece, length, startsAfterMs) =>
      pieces.push({ bytes: piece.slice(0, length), startsAfterMs })
    )
    expect(split).toBe(true)
    expect(pieces.length).toBeGreaterThan(3)
    for (const piece of pieces) expect(piece.bytes.length).toBeLessThanOrEqual(1176)
    expect(pieces.flatMap((piece) => events(piece.bytes))).toEqual(events(big))
    // Each piece starts where the frames (20 ms) and silence before it end.
    const expectedStart = (index: number) =>
      pieces
        .slice(0, index)
        .flatMap((piece) => events(piece.bytes))
        .reduce((ms, event) => ms + (event.startsWith('silence:') ? 20 : event === 'end' ? 0 : 20), 0)
    pieces.forEach((piece, i) => expect(piece.startsAfterMs).toBe(expectedStart(i)))
    // Decoded, the pieces give every frame and the silence, nothing concealed. (The big packet
    // itself does not even decode into the 20 KiB PCM buffer Steam's own API offers.)
    const frames = events(big).filter((event) => /^\d+:/.test(event)).length
    const parts = await decodeCapture(
      pieces.map((piece) => piece.bytes),
      48000
    )
    expect(parts.summary).toMatchObject({ concealed: 0, corrupted: 0, badCrc: 0 })
    expect(parts.pcm.samples.length).toBe((frames + 1) * 960)
    expect((await decodeCapture([big], 48000)).pcm.samples.length).toBe(0)
  })

  it('refuses what it cannot split, emitting nothing: not a Steam packet, or one frame bigger than the limit', async () => {
    const splitter = new VoicePacketSplitter(low, high)
    const emitted: number[] = []
    const emit = (_piece: Uint8Array, length: number) => emitted.push(length)
    const junk = new Uint8Array(3000).map((_, i) => (i * 97) & 0xff)
    expect(splitter.split(junk, junk.length, 1176, emit)).toBe(false)
    const big = await bigVoicePacket(STEAM_ID)
    expect(splitter.split(big, big.length, 60, emit)).toBe(false)
    expect(emitted).toEqual([])
  })
})
