/** The level a silent signal reports, rather than -Infinity. */
export const SILENCE_DBFS = -100

/** RMS level of `count` int16 samples from `start`, in dBFS (a full-scale square wave is 0). */
export function rmsDbfs(samples: Int16Array, start = 0, count = samples.length - start): number {
  if (count <= 0) return SILENCE_DBFS
  let sum = 0
  for (let i = start; i < start + count; i++) {
    const s = samples[i]!
    sum += s * s
  }
  const rms = Math.sqrt(sum / count) / 32768
  return rms > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(rms)) : SILENCE_DBFS
}

/** Peak level of int16 samples, in dBFS. */
export function peakDbfs(samples: Int16Array, start = 0, count = samples.length - start): number {
  let peak = 0
  for (let i = start; i < start + count; i++) {
    const s = Math.abs(samples[i]!)
    if (s > peak) peak = s
  }
  return peak > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(peak / 32768)) : SILENCE_DBFS
}
