import { describe, expect, it } from 'vitest'
import { WavMicrophone } from '../../../../src/main/engine/capture/wav-microphone'
import { ManualScheduler } from '../../../support/manual-scheduler'

function recordInto() {
  const delivered: Array<{ samples: number[]; at: number; endedAt: number }> = []
  const scheduler = new ManualScheduler()
  const sink = (samples: Int16Array, offset: number, count: number, _rate: number, endedAt: number) =>
    delivered.push({ samples: Array.from(samples.subarray(offset, offset + count)), at: scheduler.now(), endedAt })
  return { scheduler, delivered, sink }
}

describe('WavMicrophone', () => {
  it('delivers the file in real time, a 10 ms period at a time, then ends and stops', () => {
    const { scheduler, delivered, sink } = recordInto()
    const mic = new WavMicrophone(
      { sampleRate: 1000, samples: Int16Array.from({ length: 35 }, (_, i) => i) },
      scheduler,
      sink
    )
    scheduler.advanceTo(100)
    mic.start()
    expect(mic.firstSampleAt).toBe(100)
    scheduler.advanceTo(120)
    expect(delivered).toEqual([
      { samples: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], at: 110, endedAt: 110 },
      { samples: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], at: 120, endedAt: 120 }
    ])
    scheduler.advanceTo(200)
    expect(delivered.flatMap((d) => d.samples)).toHaveLength(35)
    expect(mic.ended).toBe(true)
    expect(scheduler.pending).toBe(0)
  })

  it('loops forever when asked, and a late period delivers everything due', () => {
    const { scheduler, delivered, sink } = recordInto()
    const mic = new WavMicrophone(
      { sampleRate: 1000, samples: Int16Array.from({ length: 10 }, (_, i) => i) },
      scheduler,
      sink,
      true
    )
    mic.start()
    scheduler.lateness = 15 // a busy event loop
    scheduler.advanceTo(100)
    const all = delivered.flatMap((d) => d.samples)
    expect(all.length).toBeGreaterThanOrEqual(85)
    expect(all.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(mic.ended).toBe(false)
  })
})
