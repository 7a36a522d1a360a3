/**
 * Mouth-to-ear measured on the audio: a click track goes into one microphone, and each click is
 * found again in what another member played. Pure functions, so the measuring itself is tested.
 */

export interface ClickTrack {
  sampleRate: number
  samples: Int16Array
  /** Where each click starts, in samples. */
  clicks: number[]
}

/**
 * `seconds` of a quiet noise bed (so the silence gate stays open and the stream is continuous, as
 * in speech) with a loud 5 ms 1 kHz burst every `everyMs`, each shifted by a pseudo-random part
 * of a frame so clicks fall at every position within the 20 ms codec frames.
 */
export function makeClickTrack(sampleRate: number, seconds: number, everyMs = 250, seed = 1): ClickTrack {
  const samples = new Int16Array(Math.round(sampleRate * seconds))
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
  const bed = 32768 * 10 ** (-45 / 20) * Math.sqrt(3)
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round((random() * 2 - 1) * bed)
  const clicks: number[] = []
  const burst = Math.round(sampleRate * 0.005)
  const step = Math.round((sampleRate * everyMs) / 1000)
  for (let at = step; at + step < samples.length; at += step) {
    const start = at + Math.floor(random() * sampleRate * 0.02)
    for (let i = 0; i < burst; i++)
      samples[start + i] = Math.round(16000 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate))
    clicks.push(start)
  }
  return { sampleRate, samples, clicks }
}

/**
 * Where clicks start in `audio`: the first sample of each run louder than `threshold` (about a
 * quarter of a click's peak, far above the bed) after at least `quietMs` below it.
 */
export function findOnsets(audio: Int16Array, sampleRate: number, threshold = 4000, quietMs = 100): number[] {
  const onsets: number[] = []
  const quiet = Math.round((sampleRate * quietMs) / 1000)
  let lastLoud = -Infinity
  for (let i = 0; i < audio.length; i++) {
    if (Math.abs(audio[i]!) < threshold) continue
    if (i - lastLoud > quiet) onsets.push(i)
    lastLoud = i
  }
  return onsets
}

/**
 * Each click's delay: from when it entered the microphone to the first onset that left the
 * speaker after it (within `windowMs`). Times in ms on one clock; unmatched clicks are counted.
 */
export function matchLatencies(
  clicksInMs: number[],
  onsetsOutMs: number[],
  windowMs = 400
): { latencies: number[]; missed: number } {
  const latencies: number[] = []
  let missed = 0
  let j = 0
  for (const click of clicksInMs) {
    while (j < onsetsOutMs.length && onsetsOutMs[j]! < click) j++
    if (j < onsetsOutMs.length && onsetsOutMs[j]! - click <= windowMs) latencies.push(onsetsOutMs[j++]! - click)
    else missed++
  }
  return { latencies, missed }
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}
