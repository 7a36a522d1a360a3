import { describe, expect, it } from 'vitest'
import { readWavFile } from '../../../../src/main/engine/audio/wav-file'
import { WavMicrophone } from '../../../../src/main/engine/capture/wav-microphone'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { TAIL_FRAMES, TAIL_TIMEOUT_MS } from '../../../../src/main/engine/steam-voice/voice-recorder'
import { EVoiceResult } from '../../../../src/main/engine/steam-voice/voice-result'
import { alignedCorrelation, concat, noise, speechWav } from '../../../support/audio'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

/** The embedded Steam Voice with a microphone playing `samples` into it, on a clock the test moves. */
async function liveMic(samples: Int16Array, sampleRate: number, loop = true, steamId = 7n) {
  const scheduler = new ManualScheduler()
  const voice = await EmbeddedSteamVoice.create({ steamId, clock: () => scheduler.now() })
  const mic = new WavMicrophone(
    { sampleRate, samples },
    scheduler,
    (s, o, c, r, t) => voice.pushMicrophone(s, o, c, r, t),
    loop
  )
  mic.start()
  const clock = {
    set now(time: number) {
      scheduler.advanceTo(time)
    }
  }
  return { clock, voice, mic }
}

describe('EmbeddedSteamVoice recording', () => {
  it('sends nothing before recording, voice while recording, the tail after stop, then NotRecording', async () => {
    const loud = noise(48000, -20)
    const { clock, voice } = await liveMic(loud, 48000)

    clock.now = 500
    expect(voice.getAvailableVoice()).toEqual({ result: EVoiceResult.NotRecording, buffer: 0 })
    expect(voice.getVoice().result).toBe(EVoiceResult.NotRecording)

    voice.startVoiceRecording()
    expect(voice.getVoice().result).toBe(EVoiceResult.NoData) // nothing captured yet: no backlog from before
    let framesWhileHeld = 0
    for (let t = 0; t < 1000; t += 10) {
      clock.now = 500 + t
      const available = voice.getAvailableVoice()
      const captured = voice.getVoice()
      expect(captured.result).toBe(available.result)
      if (captured.result === EVoiceResult.OK) {
        expect(captured.written).toBe(available.buffer)
        framesWhileHeld++
      }
    }
    expect(voice.captureStats.sent).toBeGreaterThanOrEqual(49)

    voice.stopVoiceRecording()
    const sentAtRelease = voice.captureStats.sent
    const results: number[] = []
    for (let t = 0; t < 600; t += 10) {
      clock.now = 1500 + t
      results.push(voice.getVoice().result)
    }
    // The tail: more frames after release, then NotRecording for good.
    expect(voice.captureStats.sent - sentAtRelease).toBeGreaterThanOrEqual(TAIL_FRAMES - 1)
    const firstNotRecording = results.indexOf(EVoiceResult.NotRecording)
    expect(firstNotRecording).toBeGreaterThan(0)
    expect(results.slice(0, firstNotRecording)).toContain(EVoiceResult.OK)
    expect(results.slice(firstNotRecording).every((r) => r === EVoiceResult.NotRecording)).toBe(true)
    expect(framesWhileHeld).toBeGreaterThan(0)
  })

  it('ends the tail on time when the microphone stops delivering', async () => {
    const clock = { now: 0 }
    const voice = await EmbeddedSteamVoice.create({ steamId: 7n, clock: () => clock.now })
    voice.startVoiceRecording()
    voice.pushMicrophone(noise(4800, -20), 0, 4800, 48000) // 100 ms, then the microphone goes quiet
    expect(voice.getVoice().result).toBe(EVoiceResult.OK)
    voice.stopVoiceRecording()
    clock.now = TAIL_TIMEOUT_MS - 10
    expect(voice.getVoice().result).not.toBe(EVoiceResult.NotRecording) // still in the tail, waiting for audio
    clock.now = TAIL_TIMEOUT_MS + 10
    const results = [voice.getVoice().result, voice.getVoice().result]
    expect(results.at(-1)).toBe(EVoiceResult.NotRecording)
  })

  it('gates silence: an open mic in a quiet room sends next to nothing', async () => {
    const quiet = noise(48000 * 2, -65)
    const speech = noise(48000, -20)
    const { clock, voice } = await liveMic(concat([quiet, speech]), 48000)
    voice.startVoiceRecording()
    let quietBytes = 0
    let speechBytes = 0
    for (let t = 0; t <= 3000; t += 10) {
      clock.now = t
      const available = voice.getAvailableVoice().buffer
      const captured = voice.getVoice()
      expect(captured.written).toBe(available)
      if (captured.result === EVoiceResult.OK) {
        if (t <= 2000) quietBytes += captured.written
        else speechBytes += captured.written
      }
    }
    expect(quietBytes).toBe(0)
    expect(speechBytes).toBeGreaterThan(2000)
    expect(voice.captureStats.gated).toBeGreaterThanOrEqual(99)
  })

  it('a spoken sentence survives encode → packets → decode (correlation ≥ 0.9 after alignment)', async () => {
    const wav = await readWavFile(speechWav(dir, 'Push to talk, then speak. Parley sends your voice to your friends.'))
    const { clock, voice: sender } = await liveMic(wav.samples, wav.sampleRate, false, 76561198000000042n)
    const receiver = await EmbeddedSteamVoice.create({ steamId: 76561198000000043n })
    const heard: Int16Array[] = []
    sender.startVoiceRecording()
    const durationMs = (wav.samples.length / wav.sampleRate) * 1000
    for (let t = 0; t < durationMs + 400; t += 10) {
      clock.now = t
      if (t > durationMs + 100) sender.stopVoiceRecording()
      const captured = sender.getVoice()
      if (captured.result !== EVoiceResult.OK) continue
      const out = receiver.decompressVoice(captured.buffer, wav.sampleRate, captured.written)
      // The stream's last packet may hold only its end marker: no audio, NoData.
      expect(out.result).toBe(out.size > 0 ? EVoiceResult.OK : EVoiceResult.NoData)
      heard.push(new Int16Array(out.uncompressed.buffer.slice(0, out.size)))
    }
    const received = concat(heard)
    expect(received.length).toBeGreaterThan(wav.samples.length * 0.9)
    const { correlation, lag } = alignedCorrelation(wav.samples, received, 2000)
    if (process.env.PARLEY_PRINT_MEASUREMENTS)
      console.log(`speech round trip: correlation ${correlation.toFixed(3)}, lag ${lag}`)
    expect(correlation).toBeGreaterThanOrEqual(0.9)
    expect(Math.abs(lag)).toBeLessThan(wav.sampleRate * 0.05)
  })
})
