import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWavFile } from '../../../../src/main/engine/audio/wav-file'
import { NoiseSuppressor } from '../../../../src/main/engine/capture/noise-suppressor'
import { envelope10ms, levels10msDbfs, noise, speechWav } from '../../../support/audio'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

const RATE = 48000

function correlation(a: Float64Array, b: Float64Array): number {
  const n = Math.min(a.length, b.length)
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= n
  mb /= n
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb)
    aa += (a[i]! - ma) ** 2
    bb += (b[i]! - mb) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

describe('main’s noise suppression (RNNoise)', () => {
  it('takes a steady hiss out of the pauses and keeps the voice, 10 ms at a time as main captures', async () => {
    const speech48 = path.join(dir, 'speech-48k.wav')
    execFileSync('sox', [
      speechWav(dir, 'A fan hums under the desk while I talk to my friends. Nobody should hear the fan.'),
      '-r',
      String(RATE),
      speech48
    ])
    const clean = (await readWavFile(speech48)).samples
    const hiss = noise(clean.length, -40, 3)
    const noisy = Int16Array.from(clean, (sample, i) => Math.max(-32768, Math.min(32767, sample + hiss[i]!)))
    const suppressor = await NoiseSuppressor.create()
    const denoised = noisy.slice()
    const frame = new Int16Array(suppressor.frameSamples)
    for (let at = 0; at + frame.length <= denoised.length; at += frame.length) {
      frame.set(denoised.subarray(at, at + frame.length))
      suppressor.process(frame, frame.length)
      denoised.set(frame, at)
    }
    suppressor.close()
    // The pauses: 10 ms windows where the clean voice is silent.
    const cleanLevels = levels10msDbfs(clean, RATE)
    const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!
    const inPauses = (samples: Int16Array) => {
      const levels = levels10msDbfs(samples, RATE)
      return median([...cleanLevels.keys()].filter((i) => cleanLevels[i]! < -70).map((i) => levels[i]!))
    }
    const before = inPauses(noisy)
    const after = inPauses(denoised)
    // RNNoise looks ahead 10 ms: the envelopes are compared one window apart.
    const kept = correlation(envelope10ms(clean, RATE), envelope10ms(denoised, RATE).subarray(1))
    console.log(
      `hiss in the pauses ${before.toFixed(1)} → ${after.toFixed(1)} dBFS; voice envelope kept ${kept.toFixed(3)}`
    )
    expect(before - after).toBeGreaterThan(15)
    expect(kept).toBeGreaterThan(0.9)
  })

  it('leaves a frame of another length untouched', async () => {
    const suppressor = await NoiseSuppressor.create()
    const odd = noise(100, -20, 5)
    const copy = odd.slice()
    suppressor.process(odd, odd.length)
    suppressor.close()
    expect(odd).toEqual(copy)
  })
})
