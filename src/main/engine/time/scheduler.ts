/** Time and timers for the pump, injected so tests drive them by hand. */
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
