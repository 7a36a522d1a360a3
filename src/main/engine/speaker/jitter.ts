/** The range the playout delay adapts in. */
export const MIN_TARGET_DELAY_MS = 20
export const MAX_TARGET_DELAY_MS = 60

/**
 * Interarrival jitter as RFC 3550 defines it (a running mean of how much the spacing of
 * arrivals differs from the spacing of sending), and the playout delay it calls for.
 */
/** Each underrun adds this to the target: running dry is evidence the delay is too tight. */
const UNDERRUN_PENALTY_MS = 10
/** ...and the extra wears off this fast once playback is smooth again. */
const PENALTY_DECAY_MS_PER_S = 2

export class JitterEstimator {
  /** A cautious start (target 50 ms) that a steady link brings down within a second. */
  jitterMs = 10
  private penaltyMs = 0
  private penaltyAt = 0
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

  /** Playback ran dry: hold a little more audio for a while. */
  underrun(now: number): void {
    this.penaltyMs = Math.min(MAX_TARGET_DELAY_MS - MIN_TARGET_DELAY_MS, this.penalty(now) + UNDERRUN_PENALTY_MS)
    this.penaltyAt = now
  }

  /** Enough delay to ride out most late packets and recent underruns, within 20 to 60 ms. */
  targetDelayMs(now = this.penaltyAt): number {
    return Math.min(MAX_TARGET_DELAY_MS, targetDelayFor(this.jitterMs) + this.penalty(now))
  }

  private penalty(now: number): number {
    return Math.max(0, this.penaltyMs - ((now - this.penaltyAt) / 1000) * PENALTY_DECAY_MS_PER_S)
  }
}

export function targetDelayFor(jitterMs: number): number {
  return Math.min(MAX_TARGET_DELAY_MS, Math.max(MIN_TARGET_DELAY_MS, MIN_TARGET_DELAY_MS + 3 * jitterMs))
}
