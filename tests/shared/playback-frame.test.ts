import { describe, expect, it } from 'vitest'
import {
  MAX_PLAYBACK_FRAME_BYTES,
  parsePlaybackFrame,
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_GONE,
  PLAYBACK_FRAME_HEADER_BYTES,
  PlaybackFrameView,
  writePlaybackFrame
} from '../../src/shared/playback-frame'
import { joinSteamId, splitSteamId } from '../../src/shared/steam-id'

function frame(kind: 1 | 2 | 3, id: bigint, rate: number, samples: Int16Array | null, count = samples?.length ?? 0) {
  const into = new Uint8Array(MAX_PLAYBACK_FRAME_BYTES + 2)
  const { low, high } = splitSteamId(id)
  const length = writePlaybackFrame(into, kind, low, high, rate, 1_700_000_000_123.5, samples, 0, count)
  return into.slice(0, length).buffer
}

describe('playback frames', () => {
  it('carry a speaker’s samples, rate and send time, with SteamIDs above 2^53 intact', () => {
    const id = 76561198000000001n
    const view = new PlaybackFrameView()
    const buffer = frame(PLAYBACK_FRAME_AUDIO, id, 24000, Int16Array.from([1, -2, 32767, -32768, 0]), 4)
    expect(parsePlaybackFrame(buffer, view)).toBe(true)
    expect(view).toMatchObject({ kind: PLAYBACK_FRAME_AUDIO, sampleRate: 24000, sentAt: 1_700_000_000_123.5, count: 4 })
    expect(joinSteamId(view.speakerLow, view.speakerHigh)).toBe(id)
    expect(Array.from(new Int16Array(buffer, PLAYBACK_FRAME_HEADER_BYTES, 4))).toEqual([1, -2, 32767, -32768])
  })

  it('say when a speaker left', () => {
    const view = new PlaybackFrameView()
    expect(parsePlaybackFrame(frame(PLAYBACK_FRAME_GONE, 5n, 48000, null), view)).toBe(true)
    expect(view).toMatchObject({ kind: PLAYBACK_FRAME_GONE, count: 0 })
  })

  it('refuse what is not a frame', () => {
    const good = frame(PLAYBACK_FRAME_AUDIO, 5n, 48000, new Int16Array(10))
    const with_ = (at: number, value: number) => {
      const copy = good.slice(0)
      new DataView(copy).setUint8(at, value)
      return copy
    }
    const view = new PlaybackFrameView()
    expect(parsePlaybackFrame(new ArrayBuffer(8), view)).toBe(false)
    expect(parsePlaybackFrame(good.slice(0, 25), view)).toBe(false) // half a sample
    expect(parsePlaybackFrame(with_(0, 9), view)).toBe(false) // unknown kind
    expect(parsePlaybackFrame(with_(1, 1), view)).toBe(false) // an old version
    expect(parsePlaybackFrame(with_(6, 0xff), view)).toBe(false) // absurd rate
    const notANumber = good.slice(0)
    new DataView(notANumber).setFloat64(16, NaN, true)
    expect(parsePlaybackFrame(notANumber, view)).toBe(false) // a send time that is not a number
    expect(parsePlaybackFrame(new ArrayBuffer(PLAYBACK_FRAME_HEADER_BYTES + 9601 * 2), view)).toBe(false)
    expect(parsePlaybackFrame('text' as unknown as ArrayBuffer, view)).toBe(false)
  })
})
