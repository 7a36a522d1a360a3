import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import wavefile from 'wavefile'
import { describe, expect, it } from 'vitest'
import { readWavFile, WavFormatError, writeWavFile } from '../../../../src/main/engine/audio/wav-file'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

describe('WAV files', () => {
  it('round-trips 16-bit mono', async () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => (i * 37) % 30000)
    await writeWavFile(path.join(dir, 'a.wav'), { sampleRate: 16000, samples })
    expect(await readWavFile(path.join(dir, 'a.wav'))).toEqual({ sampleRate: 16000, samples })
  })

  it('reads stereo 32-bit float at 44.1 kHz as 16-bit mono, averaging the channels', async () => {
    const wav = new wavefile.WaveFile()
    wav.fromScratch(2, 44100, '32f', [
      [0.5, -0.5, 0.25],
      [0.5, 0.5, -0.25]
    ])
    await writeFile(path.join(dir, 'b.wav'), wav.toBuffer())
    const read = await readWavFile(path.join(dir, 'b.wav'))
    expect(read.sampleRate).toBe(44100)
    expect(read.samples.length).toBe(3)
    expect(Math.abs(read.samples[0]! - 16384)).toBeLessThanOrEqual(1)
    expect(Array.from(read.samples.subarray(1))).toEqual([0, 0])
  })

  it('says plainly when a file is not a WAV', async () => {
    await writeFile(path.join(dir, 'c.wav'), 'ID3 this is an mp3, honest')
    await expect(readWavFile(path.join(dir, 'c.wav'))).rejects.toThrow(WavFormatError)
    await expect(readWavFile(path.join(dir, 'c.wav'))).rejects.toThrow(/not a WAV file/)
  })
})
