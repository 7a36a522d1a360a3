/**
 * Who may start a handshake with us, before any cryptography is done for them: a token bucket per
 * source IP (a burst, then a steady rate), and a cap on handshakes in progress. A flood of first
 * messages costs a map lookup each; only the few admitted cost an X25519 exchange.
 */
export interface AdmissionLimits {
  /** Handshakes a source may start at once... */
  burst: number
  /** ...and per second after that. */
  perSecond: number
  /** Sources remembered (beyond it, only those idle long enough to be full again are forgotten). */
  maxSources: number
}

export const DEFAULT_ADMISSION: AdmissionLimits = { burst: 64, perSecond: 32, maxSources: 4096 }

export class Admission {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  /** Handshakes refused, by reason. */
  readonly refused = { rate: 0, sources: 0 }

  constructor(private readonly limits: AdmissionLimits = DEFAULT_ADMISSION) {}

  /** True if `source` (an IP) may start one more handshake at `now` (ms); takes a token if so. */
  allow(source: string, now: number): boolean {
    let bucket = this.buckets.get(source)
    if (!bucket) {
      if (this.buckets.size >= this.limits.maxSources && !this.forgetFull(now)) {
        this.refused.sources++
        return false
      }
      bucket = { tokens: this.limits.burst, at: now }
      this.buckets.set(source, bucket)
    }
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond)
    bucket.at = now
    if (bucket.tokens < 1) {
      this.refused.rate++
      return false
    }
    bucket.tokens--
    return true
  }

  /** Forgets sources whose buckets have refilled (they lose nothing by it); true if any went. */
  private forgetFull(now: number): boolean {
    const fullAfterMs = (this.limits.burst / this.limits.perSecond) * 1000
    const before = this.buckets.size
    for (const [source, bucket] of this.buckets) if (now - bucket.at >= fullAfterMs) this.buckets.delete(source)
    return this.buckets.size < before
  }
}
