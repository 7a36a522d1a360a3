/** The range the playout delay adapts in. */
export const MIN_TARGET_DELAY_MS = 20
export const MAX_TARGET_DELAY_MS = 60

/**
 * Interarrival jitter as RFC 3550 defines it (a running mean of how much the spacing of
 * arrivals differs from the spacing of sending), and the playout delay it calls for.
 */
export class JitterEstimator {
  /** A cautious start (target 50 ms) that a steady link brings down within a second. */
  jitterMs = 10
  private lastArrival = NaN
  private lastSent = NaN

  observe(arrivalMs: number, sentMs: number): void {
    if (!Number.isNaN(this.lastArrival)) {
      const difference = arrivalMs - this.lastArrival - (sentMs - this.lastSent)
      this.jitterMs += (Math.abs(difference) - this.jitterMs) / 16
    }
    this.lastArrival = arrivalMs
    this.lastSent = sentMs
  }

  /** Enough delay to ride out most late packets, within 20 to 60 ms. */
  targetDelayMs(): number {
    return targetDelayFor(this.jitterMs)
  }
}

export function targetDelayFor(jitterMs: number): number {
  return Math.min(MAX_TARGET_DELAY_MS, Math.max(MIN_TARGET_DELAY_MS, MIN_TARGET_DELAY_MS + 3 * jitterMs))
}
