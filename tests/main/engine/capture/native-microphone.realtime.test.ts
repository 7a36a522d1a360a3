import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeWavFile } from '../../../../src/main/engine/audio/wav-file'
import { NativeMicrophone } from '../../../../src/main/engine/capture/native-microphone'
import { sine } from '../../../support/audio'
import { hasPulseAudio, startAudioDevices, type PulseAudio } from '../../../support/pulse-audio'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

const RATE = 48000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let pulse: PulseAudio | null = null
const savedEnv = { ...process.env }
afterEach(async () => {
  await pulse?.stop()
  pulse = null
  process.env = { ...savedEnv }
})

/** Plays one second of a 440 Hz tone into the microphone (PulseAudio's `mic_bus`); resolves when it ends. */
async function playTone(devices: PulseAudio): Promise<void> {
  const file = path.join(dir, 'tone.wav')
  await writeWavFile(file, { sampleRate: RATE, samples: sine(440, RATE, RATE, 12000) })
  const player = spawn('paplay', ['--device=mic_bus', file], { env: devices.env })
  await new Promise((resolve) => player.once('exit', resolve))
}

describe('main’s microphone (PortAudio, a real PulseAudio source)', () => {
  it.skipIf(!hasPulseAudio())(
    'sends nothing said before push-to-talk, keeps up with real time once pressed, and hears what comes after',
    async () => {
      pulse = await startAudioDevices(dir)
      // PortAudio reaches PulseAudio through ALSA's plugin, which reads the server from the environment.
      Object.assign(process.env, pulse.env)
      let samples = 0
      let peak = 0
      const microphone = await NativeMicrophone.open({
        onSamples(chunk, count) {
          samples += count
          for (let i = 0; i < count; i++) peak = Math.max(peak, Math.abs(chunk[i]!))
        },
        onEnded: () => {}
      })
      if (microphone instanceof Error) throw microphone
      try {
        // Spoken while nobody reads (push-to-talk up): the system keeps recording all of it.
        await playTone(pulse)
        await sleep(300)
        microphone.setReading(true)
        const pressedAt = performance.now()
        await sleep(1000)
        const heardMs = (samples * 1000) / RATE
        const wallMs = performance.now() - pressedAt
        expect(peak, 'the tone played before the press came out').toBeLessThan(200)
        // Before the fix the first reads brought the whole second of tone at once.
        expect(heardMs).toBeLessThanOrEqual(wallMs + 30)
        expect(heardMs).toBeGreaterThan(500)

        // Said while held: heard.
        await playTone(pulse)
        await sleep(200)
        expect(peak).toBeGreaterThan(6000)
      } finally {
        microphone.close()
      }
    },
    20_000
  )
})
