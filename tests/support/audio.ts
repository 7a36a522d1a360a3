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

function correlationAt(a: Int16Array, b: Int16Array, lag: number): number {
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
