import type { Scheduler } from '../../src/main/engine/time/scheduler'

/** A scheduler whose time moves only when the test says, with optional timer lateness. */
export class ManualScheduler implements Scheduler {
  private time = 0
  private timers: Array<{ at: number; callback: () => void; id: number }> = []
  private nextId = 1
  /** Added to every timer armed from now on, to simulate a busy event loop. */
  lateness = 0

  now(): number {
    return this.time
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++
    this.timers.push({ at: this.time + delayMs + this.lateness, callback, id })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle)
  }

  /** Timers armed and not yet run. */
  get pending(): number {
    return this.timers.length
  }

  /** Time passes inside a callback (a long synchronous job). */
  stall(ms: number): void {
    this.time += ms
  }

  advanceTo(time: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers[0]
      if (!next || next.at > time) break
      this.timers.shift()
      this.time = Math.max(this.time, next.at)
      next.callback()
    }
    this.time = Math.max(this.time, time)
  }
}
