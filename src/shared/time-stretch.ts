/**
 * Removing audio from a queue without a click: the two ends of the cut are cross-faded, and for
 * voiced sound the cut is placed a whole number of pitch periods long (the WSOLA idea), so the
 * cross-fade joins waves in phase. Pure functions over a ring of int16 samples; no allocation.
 */

/** ring[(start + i) mod ring.length], for i ≥ 0. */
function at(ring: Int16Array, start: number, i: number): number {
  return ring[(start + i) % ring.length]!
}

/** How alike the two sides of a cut must be (normalised cross-correlation) for a clean join. */
export const MIN_JOIN_SIMILARITY = 0.9

/**
 * The longest cut in [minCut, maxCut] whose following `overlap` samples look like the `overlap`
 * samples at the cut's start (normalised cross-correlation, at least MIN_JOIN_SIMILARITY and
 * within 1% of the best), so that cross-fading the two joins them in phase; -1 when no cut in the
 * range would join cleanly (then it is better to wait). The search looks at every `stride`-th cut
 * and sample (voice needs no finer grid to find its periods), then settles the chosen cut to the
 * sample. One function with no calls in its loops: V8 boxes a float passed to or returned from a
 * call that it does not inline, and this runs on the audio thread.
 */
export function bestCut(
  ring: Int16Array,
  start: number,
  overlap: number,
  minCut: number,
  maxCut: number,
  stride = 2
): number {
  // The region as one run of samples, so the loops index it directly.
  const span = maxCut + overlap
  if (WINDOW.length < span) WINDOW = new Int16Array(span)
  const w = WINDOW
  for (let i = 0; i < span; i++) w[i] = ring[(start + i) % ring.length]!
  if (SCORES.length <= maxCut) SCORES = new Float64Array(maxCut + 1)
  const scores = SCORES
  let aa = 0
  for (let i = 0; i < overlap; i += stride) aa += w[i]! * w[i]!
  if (aa === 0) return -1
  let bestScore = -Infinity
  for (let cut = minCut; cut <= maxCut; cut += stride) {
    let ab = 0
    let bb = 0
    for (let i = 0; i < overlap; i += stride) {
      const b = w[cut + i]!
      ab += w[i]! * b
      bb += b * b
    }
    const score = bb > 0 ? ab / Math.sqrt(aa * bb) : 0
    scores[cut] = score
    if (score > bestScore) bestScore = score
  }
  if (bestScore < MIN_JOIN_SIMILARITY) return -1
  let chosen = minCut
  for (let cut = minCut; cut <= maxCut; cut += stride) if (scores[cut]! >= bestScore * 0.99) chosen = cut
  if (stride === 1) return chosen
  // Settle to the sample, at full resolution.
  let fullAa = 0
  for (let i = 0; i < overlap; i++) fullAa += w[i]! * w[i]!
  let settled = chosen
  let settledScore = -Infinity
  const last = Math.min(maxCut, chosen + stride - 1)
  for (let cut = Math.max(minCut, chosen - stride + 1); cut <= last; cut++) {
    let ab = 0
    let bb = 0
    for (let i = 0; i < overlap; i++) {
      const b = w[cut + i]!
      ab += w[i]! * b
      bb += b * b
    }
    const score = bb > 0 ? ab / Math.sqrt(fullAa * bb) : 0
    if (score > settledScore) {
      settledScore = score
      settled = cut
    }
  }
  return settled
}

/** Scratch for bestCut: the region searched, unwrapped (grown once to the longest asked for). */
let WINDOW = new Int16Array(0)
/** Scratch for bestCut's scores (grown once to the longest cut asked for). */
let SCORES = new Float64Array(0)

/**
 * Cuts `cut` samples at `start`: the `overlap` samples after the cut become a cross-fade from the
 * samples at `start` (fading out) into themselves (fading in). Reading on from start + cut then
 * plays the same audio, `cut` samples shorter, with no step at the join. The cross-fade is no
 * longer than the cut (it is done in place, and must not read what it has already written).
 */
export function crossfadeCut(ring: Int16Array, start: number, cut: number, overlap: number): void {
  overlap = Math.min(overlap, cut)
  const length = ring.length
  for (let i = 0; i < overlap; i++) {
    const fadeIn = (i + 0.5) / overlap
    const outgoing = at(ring, start, i)
    const index = (start + cut + i) % length
    ring[index] = Math.round(outgoing * (1 - fadeIn) + ring[index]! * fadeIn)
  }
}

/** True when `count` samples from `start` are quieter than `thresholdRms` (int16 units). */
export function isQuiet(ring: Int16Array, start: number, count: number, thresholdRms: number): boolean {
  let sum = 0
  for (let i = 0; i < count; i++) {
    const s = at(ring, start, i)
    sum += s * s
  }
  return sum <= thresholdRms * thresholdRms * count
}
