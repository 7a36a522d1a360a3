import { describe, expect, it } from 'vitest'
import {
  decodePlaybackFrame,
  encodePlaybackFrame,
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_GONE
} from '../../src/shared/playback-frame'

describe('playback frames', () => {
  it('carry a speaker’s samples, rate and target delay, with SteamIDs above 2^53 intact', () => {
    const samples = Int16Array.from([1, -2, 32767, -32768, 0])
    const id = 76561198000000001n
    const frame = decodePlaybackFrame(encodePlaybackFrame(PLAYBACK_FRAME_AUDIO, id, 24000, 37.6, samples, 4))!
    expect(frame).toMatchObject({ kind: PLAYBACK_FRAME_AUDIO, sampleRate: 24000, targetMs: 38, speaker: id.toString() })
    expect(Array.from(frame.samples)).toEqual([1, -2, 32767, -32768])
  })

  it('say when a speaker left', () => {
    const frame = decodePlaybackFrame(encodePlaybackFrame(PLAYBACK_FRAME_GONE, 5n, 48000, 0, null))!
    expect(frame.kind).toBe(PLAYBACK_FRAME_GONE)
    expect(frame.samples.length).toBe(0)
  })

  it('refuse what is not a frame', () => {
    const good = encodePlaybackFrame(PLAYBACK_FRAME_AUDIO, 5n, 48000, 20, new Int16Array(10))
    const with_ = (at: number, value: number) => {
      const copy = good.slice(0)
      new DataView(copy).setUint8(at, value)
      return copy
    }
    expect(decodePlaybackFrame(new ArrayBuffer(8))).toBeNull()
    expect(decodePlaybackFrame(good.slice(0, 17))).toBeNull() // half a sample
    expect(decodePlaybackFrame(with_(0, 9))).toBeNull() // unknown kind
    expect(decodePlaybackFrame(with_(1, 2))).toBeNull() // unknown version
    expect(decodePlaybackFrame(with_(6, 0xff))).toBeNull() // absurd rate
    expect(
      decodePlaybackFrame(encodePlaybackFrame(PLAYBACK_FRAME_AUDIO, 5n, 48000, 20, new Int16Array(9601)))
    ).toBeNull()
    expect(decodePlaybackFrame('text' as unknown as ArrayBuffer)).toBeNull()
  })
})
