import { decodeCapture, encodeAudio } from '../../src/main/engine/steam-voice/offline-codec'
import { windowedCorrelation } from './audio'

/**
 * The share of the codec's own figure a clean path keeps: what a room's listener hears, however
 * many share the machine, with nothing lost on the way.
 */
export const KEEPS_THE_CODECS = 0.95

/** What was said: `samples[from, to)` of a longer recording (what came before primes the codec). */
export interface SpokenExcerpt {
  samples: Int16Array
  from: number
  to?: number
}

export interface SpeechVerdict {
  /** How well the recording follows the speech (mean over its 250 ms windows with speech). */
  heard: number
  /** The same, for the same speech through the codec alone (encoded and decoded offline, now). */
  codecAlone: number
  /** heard / codecAlone: what the path kept of what the codec could keep. */
  ratio: number
}

/** Codec-alone figures already measured in this run, per excerpt. */
const baselines = new WeakMap<ArrayBufferLike, Map<string, Promise<number>>>()

/**
 * How well `recording` carries `spoken`, judged against the same samples through the codec
 * alone in this run: a clean path keeps nearly all the codec keeps (a ratio near 1), a broken one
 * reads under 0.35 (the room-of-3 bug read 0.07 of 0.93). Both are measured with the same windows,
 * so what the sentence and the machine do to the figure cancels out. The codec alone hears the
 * second before the excerpt too, as the talker's encoder did (one started cold mid-word reads low).
 */
export async function judgeSpeech(
  spoken: SpokenExcerpt,
  recording: Int16Array,
  sampleRate: number
): Promise<SpeechVerdict> {
  const to = spoken.to ?? spoken.samples.length
  const excerpt = spoken.samples.subarray(spoken.from, to)
  const codecAlone = await codecAloneFigure(spoken.samples, spoken.from, to, sampleRate)
  const heard = windowedCorrelation(excerpt, recording, sampleRate)
  return { heard, codecAlone, ratio: heard / codecAlone }
}

function codecAloneFigure(samples: Int16Array, from: number, to: number, sampleRate: number): Promise<number> {
  const byBuffer = baselines.get(samples.buffer) ?? new Map<string, Promise<number>>()
  baselines.set(samples.buffer, byBuffer)
  const key = `${samples.byteOffset}:${from}:${to}:${sampleRate}`
  let figure = byBuffer.get(key)
  if (!figure) {
    figure = (async () => {
      const lead = Math.max(0, from - sampleRate)
      const { packets } = await encodeAudio({ sampleRate, samples: samples.subarray(lead, to) }, 1n)
      const { pcm } = await decodeCapture(packets, sampleRate)
      // The excerpt is found in the whole decoding by the windows' own search: a cut at a fixed
      // offset lands wrong when the lead begins in a pause (the gate starts sending later).
      return windowedCorrelation(samples.subarray(from, to), pcm.samples, sampleRate)
    })()
    byBuffer.set(key, figure)
  }
  return figure
}

/** One line for the test's output, so every run's figures can be compared across runs and passes. */
export function describeVerdict(what: string, verdict: SpeechVerdict): string {
  return (
    `${what}: heard ${verdict.heard.toFixed(3)}, codec alone ${verdict.codecAlone.toFixed(3)}, ` +
    `ratio ${verdict.ratio.toFixed(3)}`
  )
}
