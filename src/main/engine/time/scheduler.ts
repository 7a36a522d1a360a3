/** Milliseconds on some monotonic clock; injected so tests and offline encoding control time. */
export type Clock = () => number

export const monotonicClock: Clock = () => performance.now()

/** Time and timers, injected so tests drive them by hand. */
export interface Scheduler {
  now(): number
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/** Past this many missed ticks the schedule restarts from now instead of running a burst to catch up. */
const MAX_CATCH_UP_TICKS = 5

/**
 * Calls `tick` every `intervalMs` on a fixed grid (start + n × interval), so lateness of one
 * tick does not push back the ones after it.
 */
export class FixedRateTimer {
  private handle: unknown = null
  private next = 0
  ticks = 0
  /** Times the schedule was restarted because the process fell far behind. */
  slips = 0

  constructor(
    private readonly scheduler: Scheduler,
    private intervalMs: number,
    private readonly tick: () => void
  ) {}

  get running(): boolean {
    return this.handle !== null
  }

  start(): void {
    if (this.handle !== null) return
    this.next = this.scheduler.now() + this.intervalMs
    this.arm()
  }

  stop(): void {
    if (this.handle === null) return
    this.scheduler.clearTimeout(this.handle)
    this.handle = null
  }

  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs
  }

  private arm(): void {
    this.handle = this.scheduler.setTimeout(this.fire, Math.max(0, this.next - this.scheduler.now()))
  }

  private readonly fire = (): void => {
    this.ticks++
    this.tick()
    if (this.handle === null) return
    const now = this.scheduler.now()
    this.next += this.intervalMs
    if (now - this.next > this.intervalMs * MAX_CATCH_UP_TICKS) {
      this.next = now + this.intervalMs
      this.slips++
    }
    this.arm()
  }
}

/**
 * One timer at the earliest deadline asked for: the way to wake exactly when something is due,
 * and never otherwise (nothing ticks while nothing needs doing).
 */
export class Alarm {
  private handle: unknown = null
  private due = Infinity

  constructor(
    private readonly scheduler: Scheduler,
    private readonly fire: () => void
  ) {}

  /** Wakes at `when` (ms on the scheduler's clock), unless already set to wake earlier. */
  wakeAt(when: number): void {
    if (when >= this.due) return
    if (this.handle !== null) this.scheduler.clearTimeout(this.handle)
    this.due = when
    this.handle = this.scheduler.setTimeout(this.ring, Math.max(0, when - this.scheduler.now()))
  }

  cancel(): void {
    if (this.handle !== null) this.scheduler.clearTimeout(this.handle)
    this.handle = null
    this.due = Infinity
  }

  private readonly ring = (): void => {
    this.handle = null
    this.due = Infinity
    this.fire()
  }
}

/** performance.now() and process.hrtime are both monotonic; this is how far apart they started. */
const HRTIME_OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now()

/**
 * A performance.now() time on the machine's monotonic clock (process.hrtime.bigint(), in ms), which
 * every process on the machine shares: what --stats reports, so processes can be compared.
 */
export function toMonotonicMs(performanceMs: number): number {
  return Math.round((performanceMs + HRTIME_OFFSET_MS) * 1000) / 1000
}
