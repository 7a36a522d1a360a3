import { describe, expect, it } from 'vitest'
import { VoiceActivation } from '../../../../src/main/engine/input/voice-activation'
import { ManualScheduler } from '../../../support/manual-scheduler'

describe('VoiceActivation', () => {
  function setup() {
    const clock = new ManualScheduler()
    const changes: Array<[number, boolean]> = []
    const vad = new VoiceActivation(clock, { thresholdDbfs: -40, holdMs: 300 }, (open) =>
      changes.push([clock.now(), open])
    )
    /** Frames of 20 ms at these levels, one after another. */
    const frames = (...levels: number[]) => {
      for (const level of levels) {
        clock.advanceTo(clock.now() + 20)
        vad.hear(level)
      }
    }
    return { clock, vad, changes, frames }
  }

  it('opens on the first loud frame, stays open through short pauses, closes after the hold', () => {
    const { changes, frames } = setup()
    frames(-70, -70, -30) // opens at 60
    frames(-25, -60, -60, -28) // a 40 ms pause between words: still open
    frames(...Array(14).fill(-65)) // 280 ms quiet: still open
    expect(changes).toEqual([[60, true]])
    frames(-65) // 300 ms after the last loud frame (at 140)
    expect(changes).toEqual([
      [60, true],
      [440, false]
    ])
  })

  it('closes by itself when frames stop coming (the microphone went away)', () => {
    const { clock, changes, frames } = setup()
    frames(-20)
    clock.advanceTo(1000)
    expect(changes).toEqual([
      [20, true],
      [20 + 300 + 250, false]
    ])
  })

  it('a quiet room never opens it; a lower threshold does', () => {
    const { vad, changes, frames } = setup()
    frames(-45, -50, -42)
    expect(changes).toEqual([])
    vad.setSettings({ thresholdDbfs: -46, holdMs: 300 })
    frames(-45)
    expect(changes.map(([, open]) => open)).toEqual([true])
  })
})
