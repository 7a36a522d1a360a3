import type { MonoPcm } from '../audio/wav-file'
import { Alarm, type Scheduler } from '../time/scheduler'

/** Where captured audio goes: `count` samples from `offset`, the last captured at `endedAt` (ms). */
export type CaptureSink = (
  samples: Int16Array,
  offset: number,
  count: number,
  sampleRate: number,
  endedAt: number
) => void

/** A sound card delivers its audio in periods; 10 ms is a common one. */
export const MICROPHONE_PERIOD_MS = 10

/**
 * A WAV file as a microphone, in real time: every period it delivers the samples "captured" since
 * the last, as a sound card would. The headless peer's microphone (tests, bots, measurements).
 */
export class WavMicrophone {
  readonly sampleRate: number
  /** When sample 0 entered the microphone (ms on the scheduler's clock); NaN before start. */
  firstSampleAt = NaN
  private readonly alarm: Alarm
  private running = false
  private delivered = 0

  constructor(
    private readonly pcm: MonoPcm,
    private readonly scheduler: Scheduler,
    private readonly sink: CaptureSink,
    private readonly loop = false
  ) {
    this.sampleRate = pcm.sampleRate
    this.alarm = new Alarm(scheduler, this.deliver)
  }

  /** True once a file that does not loop has delivered all of itself. */
  get ended(): boolean {
    return !this.loop && this.delivered >= this.pcm.samples.length
  }

  start(): void {
    this.firstSampleAt = this.scheduler.now()
    this.running = true
    this.alarm.wakeAt(this.firstSampleAt + MICROPHONE_PERIOD_MS)
  }

  stop(): void {
    this.running = false
    this.alarm.cancel()
  }

  private readonly deliver = (): void => {
    const now = this.scheduler.now()
    const total = this.pcm.samples.length
    // Whole periods, as a sound card delivers them (a late tick brings several).
    const periods = Math.floor((now - this.firstSampleAt) / MICROPHONE_PERIOD_MS + 1e-9)
    let due = Math.round((periods * MICROPHONE_PERIOD_MS * this.sampleRate) / 1000)
    if (!this.loop) due = Math.min(due, total)
    while (this.delivered < due) {
      const at = this.delivered % total
      const period = Math.round((MICROPHONE_PERIOD_MS * this.sampleRate) / 1000)
      const count = Math.min(due - this.delivered, total - at, period)
      const endedAt = this.firstSampleAt + ((this.delivered + count) * 1000) / this.sampleRate
      this.sink(this.pcm.samples, at, count, this.sampleRate, endedAt)
      this.delivered += count
    }
    // The next period ends on the sample clock's own grid, however late this one was served.
    if (this.ended) this.stop()
    else if (this.running) this.alarm.wakeAt(this.firstSampleAt + (periods + 1) * MICROPHONE_PERIOD_MS)
  }
}
