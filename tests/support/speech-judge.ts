import { decodeCapture, encodeAudio } from '../../src/main/engine/steam-voice/offline-codec'
import { windowedCorrelation } from './audio'

/**
 * The share of the codec's own figure a clean path keeps: what a room's listener hears, however
 * many share the machine, with nothing lost on the way.
 */
export const KEEPS_THE_CODECS = 0.95

export interface SpeechVerdict {
  /** How well the recording follows the speech (mean over its 250 ms windows with speech). */
  heard: number
  /** The same, for the same speech through the codec alone (encoded and decoded offline, now). */
  codecAlone: number
  /** heard / codecAlone: what the path kept of what the codec could keep. */
  ratio: number
}

/**
 * How well `recording` carries `spoken`, judged against the same samples through the codec
 * alone in this run: a clean path keeps nearly all the codec keeps (a ratio near 1), a broken one
 * reads under 0.35 (the room-of-3 bug read 0.07 of 0.93). Both are measured with the same windows,
 * so what the sentence and the machine do to the figure cancels out.
 */
export async function judgeSpeech(
  spoken: Int16Array,
  recording: Int16Array,
  sampleRate: number
): Promise<SpeechVerdict> {
  const { packets } = await encodeAudio({ sampleRate, samples: spoken }, 1n)
  const { pcm } = await decodeCapture(packets, sampleRate)
  const codecAlone = windowedCorrelation(spoken, pcm.samples, sampleRate)
  const heard = windowedCorrelation(spoken, recording, sampleRate)
  return { heard, codecAlone, ratio: heard / codecAlone }
}

/** One line for the test's output, so every run's figures can be compared across runs and passes. */
export function describeVerdict(what: string, verdict: SpeechVerdict): string {
  return (
    `${what}: heard ${verdict.heard.toFixed(3)}, codec alone ${verdict.codecAlone.toFixed(3)}, ` +
    `ratio ${verdict.ratio.toFixed(3)}`
  )
}
