import type { MonoPcm } from '../audio/wav-file'
import { monotonicClock, type Clock, type MicrophoneSource } from './microphone-source'

/**
 * A WAV file played into the microphone in real time: what is "captured" by now is what the
 * clock says has elapsed since the source started. Silence follows the end unless it loops.
 */
export class WavFileSource implements MicrophoneSource {
  readonly sampleRate: number
  private readonly samples: Int16Array
  private readonly startedAt: number
  /** Samples handed out or discarded so far (can run past the end when looping). */
  private position = 0

  constructor(
    pcm: MonoPcm,
    private readonly clock: Clock = monotonicClock,
    private readonly loop = false
  ) {
    this.sampleRate = pcm.sampleRate
    this.samples = pcm.samples
    this.startedAt = clock()
  }

  get ended(): boolean {
    return !this.loop && this.position >= this.samples.length
  }

  private due(): number {
    const elapsed = Math.floor(((this.clock() - this.startedAt) * this.sampleRate) / 1000)
    return this.loop ? elapsed : Math.min(elapsed, this.samples.length)
  }

  read(out: Int16Array): number {
    const count = Math.min(out.length, this.due() - this.position)
    if (count <= 0) return 0
    const total = this.samples.length
    for (let i = 0; i < count; i++) out[i] = this.samples[(this.position + i) % total]!
    this.position += count
    return count
  }

  discard(): void {
    this.position = Math.max(this.position, this.due())
  }
}
