import { describe, expect, it } from 'vitest'
import { PlayoutBuffer } from '../../src/shared/playout-buffer'

const tone = (n: number, value = 1000) => new Int16Array(n).fill(value)

describe('PlayoutBuffer', () => {
  it('holds audio until the target delay is queued, then plays it continuously', () => {
    const buffer = new PlayoutBuffer(1000, 30)
    const mix = new Float32Array(10)
    buffer.push(tone(20), 20, 0)
    buffer.mixInto(mix, 0, 10, 0)
    expect(mix[0]).toBe(0)
    buffer.push(tone(20), 20, 20)
    expect(buffer.state).toBe('playing')
    buffer.mixInto(mix, 0, 10, 20)
    expect(mix[9]).toBe(1000)
  })

  it('counts an underrun when the stream runs dry and continues, but not at the end of a sentence', () => {
    const buffer = new PlayoutBuffer(1000, 20)
    const mix = new Float32Array(40)
    buffer.push(tone(20), 20, 0)
    buffer.mixInto(mix, 0, 30, 20) // dry 10 ms into the block
    buffer.push(tone(20), 20, 40) // more came 20 ms later: the stream had not ended
    expect(buffer.underruns).toBe(1)
    buffer.mixInto(mix, 0, 40, 60)
    buffer.push(tone(20), 20, 500) // after a pause: a new sentence
    expect(buffer.underruns).toBe(1)
  })

  it('does not play a pause twice: silence arriving after it ran dry is skipped', () => {
    const buffer = new PlayoutBuffer(1000, 10)
    const mix = new Float32Array(300)
    buffer.push(tone(10), 10, 0)
    buffer.mixInto(mix, 0, 10, 10)
    buffer.mixInto(mix, 0, 200, 210) // 200 ms of pause, played as silence
    const resumed = new Int16Array(220)
    resumed.fill(500, 200) // the sender's 200 ms silence run, then speech
    buffer.push(resumed, 220, 220)
    expect(buffer.bufferedMs).toBe(20)
  })

  it('cuts audio piling up beyond the target plus 60 ms back to the target', () => {
    const buffer = new PlayoutBuffer(1000, 20)
    buffer.push(tone(80), 80, 0)
    expect(buffer.bufferedMs).toBe(80) // within the slack: kept
    buffer.push(tone(420), 420, 10)
    expect(buffer.bufferedMs).toBe(20)
    expect(buffer.droppedSamples).toBe(480)
  })

  it('applies gain, for per-member volume and mute', () => {
    const buffer = new PlayoutBuffer(1000, 10)
    buffer.gain = 0.5
    buffer.push(tone(20), 20, 0)
    const mix = new Float32Array(10)
    buffer.mixInto(mix, 0, 10, 0)
    expect(mix[0]).toBe(500)
  })
})
