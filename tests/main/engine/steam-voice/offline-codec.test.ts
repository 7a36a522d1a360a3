import { describe, expect, it } from 'vitest'
import { decodeCapture, decodeOnTimeline, encodeAudio } from '../../../../src/main/engine/steam-voice/offline-codec'
import { concat, noise } from '../../../support/audio'

const RATE = 24000

/** The sample where `signal` first gets loud (above a tenth of full scale, over 5 ms). */
function onsetAfter(signal: Int16Array, from: number): number {
  const window = RATE / 200
  for (let at = from; at + window <= signal.length; at += window) {
    let sum = 0
    for (let i = at; i < at + window; i++) sum += signal[i]! * signal[i]!
    if (Math.sqrt(sum / window) > 3276) return at
  }
  return -1
}

describe('the offline codec', () => {
  it('decodes on the timeline: what the silence gate held back stays a silence of the same length', async () => {
    // Half a second of sound, a second of silence (the gate sends nothing), half a second again.
    const audio = concat([noise(RATE / 2, -12, 1), new Int16Array(RATE), noise(RATE / 2, -12, 2)])
    const { packets, capturedAtMs } = await encodeAudio({ sampleRate: RATE, samples: audio }, 1n)
    expect(capturedAtMs).toHaveLength(packets.length)

    const onTimeline = await decodeOnTimeline(packets, capturedAtMs, RATE)
    const secondBurst = onsetAfter(onTimeline.samples, Math.round(0.75 * RATE))
    // Where it was spoken (1.5 s), give or take the codec's delay and a 20 ms frame.
    expect(Math.abs(secondBurst / RATE - 1.5)).toBeLessThan(0.03)

    // Concatenated, the silence the gate dropped is gone, and the second burst comes early.
    const { pcm: concatenated } = await decodeCapture(packets, RATE)
    expect(onsetAfter(concatenated.samples, Math.round(0.75 * RATE)) / RATE).toBeLessThan(1.4)
  })
})
