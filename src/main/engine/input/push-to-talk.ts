import type { Scheduler } from '../time/scheduler'

/** Where a press came from: the global hook, the window's own key handler or button, or voice activation. */
export type PressSource = 'global' | 'window' | 'voice'

/**
 * Push-to-talk from every input at once: talking while any source holds it, and still for
 * `releaseDelayMs` after the last lets go, so the end of a word is not clipped. The same key
 * seen by both the global hook and the focused window counts once.
 */
export class PushToTalk {
  private readonly held = new Set<PressSource>()
  private releaseTimer: unknown = null
  private talking = false

  constructor(
    private readonly scheduler: Scheduler,
    private releaseDelayMs: number,
    private readonly setTalking: (talking: boolean) => void
  ) {}

  setReleaseDelay(ms: number): void {
    this.releaseDelayMs = ms
  }

  press(source: PressSource): void {
    this.held.add(source)
    this.cancelRelease()
    if (!this.talking) {
      this.talking = true
      this.setTalking(true)
    }
  }

  release(source: PressSource): void {
    if (!this.held.delete(source) || this.held.size > 0 || !this.talking) return
    this.cancelRelease()
    if (this.releaseDelayMs <= 0) return this.stop()
    this.releaseTimer = this.scheduler.setTimeout(() => {
      this.releaseTimer = null
      this.stop()
    }, this.releaseDelayMs)
  }

  close(): void {
    this.cancelRelease()
    this.held.clear()
  }

  private stop(): void {
    this.talking = false
    this.setTalking(false)
  }

  private cancelRelease(): void {
    if (this.releaseTimer !== null) this.scheduler.clearTimeout(this.releaseTimer)
    this.releaseTimer = null
  }
}
