import { PlayoutBuffer } from '../../../shared/playout-buffer'
import type { PlayoutFigures, PlayoutSink } from './playout-sink'

/**
 * Playout in this process: one speaker's playout buffer, which a mixer here drains (the headless
 * peer's output). Its level is the real one, read directly.
 */
export class LocalPlayout implements PlayoutSink {
  private buffer: PlayoutBuffer | null = null

  constructor(
    /** How much the output takes at a time (ms). */
    private readonly blockMs: number,
    /** The output's clock (performance.now() ms, or a test's). */
    private readonly clock: () => number,
    /** Audio arrived: the output must be running. */
    private readonly onPush: () => void,
    private readonly onClose: (playout: LocalPlayout) => void
  ) {}

  /** The buffer at the rate audio arrives in (rebuilt when the rate changes). */
  get current(): PlayoutBuffer | null {
    return this.buffer
  }

  push(samples: Int16Array, offset: number, count: number, sampleRate: number, now: number): void {
    if (this.buffer?.sampleRate !== sampleRate) {
      this.buffer = new PlayoutBuffer(sampleRate, { blockSamples: Math.round((sampleRate * this.blockMs) / 1000) })
    }
    this.buffer.push(samples, offset, count, now)
    this.onPush()
  }

  endOfStream(): void {
    this.buffer?.endOfStream()
  }

  levelMs(): number {
    return this.buffer?.bufferedMs ?? 0
  }

  get aheadMs(): number {
    return this.buffer?.queueAheadMs ?? 0
  }

  get figures(): PlayoutFigures {
    const buffer = this.buffer
    if (!buffer) return { targetMs: 0, jitterMs: 0, underruns: 0, cutMs: 0 }
    return {
      targetMs: Math.round(buffer.targetMs(this.clock()) * 10) / 10,
      jitterMs: Math.round(buffer.jitterMs * 10) / 10,
      underruns: buffer.underruns,
      cutMs: Math.round((buffer.cutSamples * 1000) / buffer.sampleRate)
    }
  }

  close(): void {
    this.onClose(this)
  }
}
