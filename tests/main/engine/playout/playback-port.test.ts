import { describe, expect, it } from 'vitest'
import { PlaybackPort } from '../../../../src/main/engine/playout/playback-port'
import {
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_END,
  PlaybackFrameView,
  parsePlaybackFrame
} from '../../../../src/shared/playback-frame'

describe('PlaybackPort while deafened', () => {
  it('sends no speaker’s audio to the page, but still their end of stream; undeafened, audio flows again', () => {
    const port = new PlaybackPort(() => 0)
    const kinds: number[] = []
    const view = new PlaybackFrameView()
    port.addListener((frame) => {
      const copy = frame.slice() // the sink's frame is a view into the port's buffer
      expect(parsePlaybackFrame(copy.buffer, view)).toBe(true)
      kinds.push(view.kind)
    })
    const bea = port.open(76561198000000002n)
    const audio = new Int16Array(960).fill(1000)
    bea.push(audio, 0, 960, 48000)
    port.silenced = true
    bea.push(audio, 0, 960, 48000)
    bea.endOfStream()
    port.silenced = false
    bea.push(audio, 0, 960, 48000)
    expect(kinds).toEqual([PLAYBACK_FRAME_AUDIO, PLAYBACK_FRAME_END, PLAYBACK_FRAME_AUDIO])
  })
})
