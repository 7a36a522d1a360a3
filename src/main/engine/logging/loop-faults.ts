import type { Logger } from './logger'

/** Distinct faults logged at most, so a loop failing in new ways each time cannot flood the log. */
const MAX_LOGGED = 32

/**
 * What keeps a timer loop alive when a step throws (a Steam call that fails, a bug): the fault is
 * counted per loop and logged once per loop and message; the loop goes on. Everything else of
 * it is counted, not logged.
 */
export class LoopFaults {
  /** Faults caught, by loop ("pump", "p2p-poll", …). */
  readonly counts: Record<string, number> = {}
  private readonly logged = new Set<string>()

  constructor(private readonly logger: Logger) {}

  record(loop: string, error: unknown): void {
    this.counts[loop] = (this.counts[loop] ?? 0) + 1
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    const key = `${loop}\n${message}`
    if (this.logged.has(key) || this.logged.size >= MAX_LOGGED) return
    this.logged.add(key)
    this.logger.error(`${loop} failed (it goes on; the same again is only counted): ${message}`)
  }

  get total(): number {
    let sum = 0
    for (const loop in this.counts) sum += this.counts[loop]!
    return sum
  }
}
