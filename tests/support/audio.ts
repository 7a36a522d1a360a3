import { execFileSync } from 'node:child_process'
import path from 'node:path'

/**
 * Makes a spoken WAV with espeak-ng (Debian's espeak-ng package; .ci/run installs it).
 * Returns its path. 22050 Hz, mono, 16-bit.
 */
export function speechWav(dir: string, text: string, name = 'speech.wav'): string {
  const file = path.join(dir, name)
  try {
    execFileSync('espeak-ng', ['-w', file, '-s', '150', text], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(
      `espeak-ng is needed for speech fixtures (apt-get install espeak-ng): ${(error as Error).message}`,
      {
        cause: error
      }
    )
  }
  return file
}

/**
 * The highest normalised cross-correlation between `a` and `b` over lags of b within
 * ±maxLag samples, and that lag. 1 means b is a (scaled, shifted) copy of a.
 */
export function alignedCorrelation(a: Int16Array, b: Int16Array, maxLag: number): { correlation: number; lag: number } {
  let best = { correlation: -1, lag: 0 }
  // Coarse search on every 4th lag, then refine around the best.
  const score = (lag: number) => correlationAt(a, b, lag)
  for (let lag = -maxLag; lag <= maxLag; lag += 4) {
    const c = score(lag)
    if (c > best.correlation) best = { correlation: c, lag }
  }
  for (let lag = best.lag - 4; lag <= best.lag + 4; lag++) {
    const c = score(lag)
    if (c > best.correlation) best = { correlation: c, lag }
  }
  return best
}

/** Normalised correlation of `a` with `b` shifted by `lag`, over where they overlap. */
function correlationAt(a: ArrayLike<number>, b: ArrayLike<number>, lag: number): number {
  const start = Math.max(0, -lag)
  const end = Math.min(a.length, b.length - lag)
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = start; i < end; i++) {
    const x = a[i]!
    const y = b[i + lag]!
    ab += x * y
    aa += x * x
    bb += y * y
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0
}

/** White noise at roughly `dbfs` RMS, deterministic for a seed. */
/** `samples` of a `hz` sine at `rate`, peaking at `amplitude`. */
export function sine(hz: number, samples: number, rate: number, amplitude = 10000): Int16Array {
  return Int16Array.from({ length: samples }, (_, n) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / rate)))
}

export function noise(samples: number, dbfs: number, seed = 1): Int16Array {
  const out = new Int16Array(samples)
  const amplitude = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3)
  let state = seed
  for (let i = 0; i < samples; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    out[i] = Math.round((state / 0x7fffffff - 0.5) * 2 * amplitude)
  }
  return out
}

/** Concatenates int16 chunks. */
export function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Correlation of `recording` against `reference` where the reference may start anywhere in the
 * recording: a coarse lag from 10 ms energy envelopes, refined at full rate.
 */
export function correlationInRecording(
  reference: Int16Array,
  recording: Int16Array,
  sampleRate: number
): { correlation: number; lag: number } {
  const hop = Math.round(sampleRate / 100)
  const a = envelope(reference, hop)
  const b = envelope(recording, hop)
  let bestHop = 0
  let best = -Infinity
  // Lags where the two barely overlap are skipped: a few hops of envelope always "correlate".
  const minOverlap = Math.ceil(Math.min(a.length, b.length) / 2)
  for (let lag = -a.length + minOverlap; lag <= b.length - minOverlap; lag++) {
    const c = correlationAt(a, b, lag)
    if (c > best) {
      best = c
      bestHop = lag
    }
  }
  const around = bestHop * hop
  let result = { correlation: -1, lag: around }
  for (let lag = around - 2 * hop; lag <= around + 2 * hop; lag++) {
    const c = correlationAt(reference, recording, lag)
    if (c > result.correlation) result = { correlation: c, lag }
  }
  return result
}

/**
 * How well each half second of speech in `reference` survives in `recording`: each window is
 * aligned on its own (within ±searchMs of the overall alignment), so the small timeline shifts
 * a jitter buffer makes when it re-buffers do not count against it. Mean over windows with speech.
 */
export function windowedCorrelation(
  reference: Int16Array,
  recording: Int16Array,
  sampleRate: number,
  windowMs = 250,
  searchMs = 150
): number {
  const { lag: overall } = correlationInRecording(reference, recording, sampleRate)
  const window = Math.round((sampleRate * windowMs) / 1000)
  const search = Math.round((sampleRate * searchMs) / 1000)
  const scores: number[] = []
  for (let start = 0; start + window <= reference.length; start += window) {
    const part = reference.subarray(start, start + window)
    let energy = 0
    for (const s of part) energy += s * s
    if (Math.sqrt(energy / window) < 32768 * 10 ** (-40 / 20)) continue // silence: nothing to hear
    let best = -1
    for (let lag = overall - search; lag <= overall + search; lag += 2) {
      const from = start + lag
      if (from < 0 || from + window > recording.length) continue
      best = Math.max(best, correlationAt(part, recording.subarray(from, from + window), 0))
    }
    scores.push(best)
  }
  if (process.env.PARLEY_PRINT_MEASUREMENTS) console.log('window scores', scores.map((x) => x.toFixed(2)).join(' '))
  return scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length)
}

/**
 * Whether `heard` carries `source` (which may loop, as Chromium's fake microphone does): each
 * `windowMs` of speech in `heard` is looked for anywhere in two loops of `source`. Returns the
 * number of speech windows found at one common offset (within ±250 ms, modulo the loop: a
 * jitter buffer shifts the timeline by tens of ms as it re-buffers, up to its 60 ms excess
 * limit), and their median correlation. Unrelated audio finds its best matches at scattered
 * offsets (a ±250 ms cluster, the default tolerance, catches one by chance about 6% of the time in an
 * 8 s loop; ±500 ms about 12%).
 */
export function findInLoopedSource(
  heard: Int16Array,
  source: Int16Array,
  sampleRate: number,
  windowMs = 250,
  toleranceMs = 250
): { agreeing: number; windows: number; medianCorrelation: number } {
  const twice = new Int16Array(source.length * 2)
  twice.set(source)
  twice.set(source, source.length)
  const window = Math.round((sampleRate * windowMs) / 1000)
  const found: Array<{ correlation: number; offset: number }> = []
  for (let start = 0; start + window <= heard.length; start += window) {
    const part = heard.subarray(start, start + window)
    let energy = 0
    for (const s of part) energy += s * s
    if (Math.sqrt(energy / window) < 32768 * 10 ** (-40 / 20)) continue
    const { correlation, at } = bestFullOverlap(part, twice, sampleRate)
    found.push({ correlation, offset: (((at - start) % source.length) + source.length) % source.length })
  }
  const tolerance = Math.round((sampleRate * toleranceMs) / 1000)
  const near = (a: number, b: number) => {
    const d = Math.abs(a - b)
    return Math.min(d, source.length - d) <= tolerance
  }
  let best: typeof found = []
  for (const candidate of found) {
    const agreeing = found.filter((other) => near(other.offset, candidate.offset))
    if (agreeing.length > best.length) best = agreeing
  }
  const correlations = best.map((f) => f.correlation).sort((a, b) => a - b)
  if (process.env.PARLEY_PRINT_MEASUREMENTS) {
    console.log(
      'windows',
      found.map((f) => `${f.correlation.toFixed(2)}@${(f.offset / sampleRate).toFixed(2)}`).join(' ')
    )
  }
  return {
    agreeing: best.length,
    windows: found.length,
    medianCorrelation: correlations.length ? correlations[Math.floor(correlations.length / 2)]! : 0
  }
}

/** Where in `haystack` the short `needle` fits best, lying wholly inside it (no edge overlaps). */
function bestFullOverlap(
  needle: Int16Array,
  haystack: Int16Array,
  sampleRate: number
): { correlation: number; at: number } {
  const hop = Math.round(sampleRate / 200)
  const a = envelope(needle, hop)
  const b = envelope(haystack, hop)
  const scores: Array<{ score: number; at: number }> = []
  for (let lag = 0; lag + a.length <= b.length; lag++) scores.push({ score: correlationAt(a, b, lag), at: lag * hop })
  scores.sort((x, y) => y.score - x.score)
  let best = { correlation: -1, at: 0 }
  for (const candidate of scores.slice(0, 5)) {
    for (
      let at = Math.max(0, candidate.at - hop);
      at <= Math.min(haystack.length - needle.length, candidate.at + hop);
      at++
    ) {
      const c = correlationAt(needle, haystack.subarray(at, at + needle.length), 0)
      if (c > best.correlation) best = { correlation: c, at }
    }
  }
  return best
}

/** Mean absolute level per `hop` samples: a signal's loudness over time, for coarse alignment. */
function envelope(signal: Int16Array, hop: number): Float64Array {
  const out = new Float64Array(Math.floor(signal.length / hop))
  for (let i = 0; i < out.length; i++) {
    let sum = 0
    for (let j = i * hop; j < (i + 1) * hop; j++) sum += Math.abs(signal[j]!)
    out[i] = sum / hop
  }
  return out
}

/** The RMS of int16 samples over each 10 ms window (full scale is 32768). */
export function envelope10ms(samples: Int16Array, rate: number): Float64Array {
  const window = Math.round(rate / 100)
  const out = new Float64Array(Math.floor(samples.length / window))
  for (let w = 0; w < out.length; w++) {
    let sum = 0
    for (let i = w * window; i < (w + 1) * window; i++) sum += samples[i]! * samples[i]!
    out[w] = Math.sqrt(sum / window)
  }
  return out
}

/** The same windows as levels in dBFS (−100 for digital silence). */
export function levels10msDbfs(samples: Int16Array, rate: number): Float64Array {
  return envelope10ms(samples, rate).map((rms) => (rms > 0 ? Math.max(-100, 20 * Math.log10(rms / 32768)) : -100))
}
