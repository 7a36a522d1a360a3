import { readFile, writeFile } from 'node:fs/promises'
import wavefile from 'wavefile'

export interface MonoPcm {
  sampleRate: number
  samples: Int16Array
}

export class WavFormatError extends Error {
  override name = 'WavFormatError'
}

/** Reads a WAV file of any common encoding, rate and channel count, as 16-bit mono (channels averaged). */
export async function readWavFile(file: string): Promise<MonoPcm> {
  return decodeWav(await readFile(file), file)
}

export function decodeWav(bytes: Uint8Array, name = 'input'): MonoPcm {
  let wav: InstanceType<typeof wavefile.WaveFile>
  try {
    wav = new wavefile.WaveFile(bytes)
  } catch (error) {
    throw new WavFormatError(`${name} is not a WAV file (${(error as Error).message})`)
  }
  // Read the format first: converting the bit depth rebuilds wav.fmt.
  const { sampleRate, numChannels, audioFormat } = wav.fmt as {
    sampleRate: number
    numChannels: number
    audioFormat: number
  }
  const fmt = { sampleRate, numChannels, audioFormat }
  try {
    if (fmt.audioFormat === 6) wav.fromALaw()
    else if (fmt.audioFormat === 7) wav.fromMuLaw()
    else if (fmt.audioFormat === 17) wav.fromIMAADPCM()
    wav.toBitDepth('16')
  } catch (error) {
    throw new WavFormatError(`${name}: unsupported WAV encoding (${(error as Error).message})`)
  }
  const interleaved = wav.getSamples(true, Int16Array) as unknown as Int16Array
  const channels = Math.max(1, fmt.numChannels)
  if (!fmt.sampleRate || fmt.sampleRate < 1000 || fmt.sampleRate > 384000) {
    throw new WavFormatError(`${name}: implausible sample rate ${fmt.sampleRate}`)
  }
  if (channels === 1) return { sampleRate: fmt.sampleRate, samples: Int16Array.from(interleaved) }
  const frames = Math.floor(interleaved.length / channels)
  const mono = new Int16Array(frames)
  for (let i = 0; i < frames; i++) {
    let sum = 0
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c]!
    mono[i] = Math.round(sum / channels)
  }
  return { sampleRate: fmt.sampleRate, samples: mono }
}

/** Writes 16-bit mono PCM as a WAV file. */
export async function writeWavFile(file: string, pcm: MonoPcm): Promise<void> {
  const wav = new wavefile.WaveFile()
  wav.fromScratch(1, pcm.sampleRate, '16', pcm.samples)
  await writeFile(file, wav.toBuffer())
}
