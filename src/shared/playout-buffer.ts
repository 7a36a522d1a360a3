/**
 * Audio queued beyond target + this is cut back to the target: after a burst of late packets
 * arrives at once, the delay returns to the target instead of staying high for good.
 */
const MAX_EXCESS_MS = 60
/** Running dry and hearing more within this long means the stream was still going: an underrun. */
const UNDERRUN_WINDOW_MS = 100

export type PlayoutState = 'idle' | 'buffering' | 'playing'

/**
 * One speaker's continuous PCM stream: filled as packets decode, drained at the output's pace.
 * It starts playing once `target` audio is queued and re-buffers after running dry.
 */
export class PlayoutBuffer {
  state: PlayoutState = 'idle'
  underruns = 0
  droppedSamples = 0
  gain = 1
  private readonly ring: Int16Array
  private readIndex = 0
  private size = 0
  /** Output samples played as silence since we ran dry: a pause the sender's silence run repeats. */
  private drySamples = 0
  private dryAt = -Infinity

  constructor(
    readonly sampleRate: number,
    private targetMs: number
  ) {
    this.ring = new Int16Array(sampleRate * 2)
  }

  get bufferedMs(): number {
    return (this.size * 1000) / this.sampleRate
  }

  setTargetMs(targetMs: number): void {
    this.targetMs = targetMs
  }

  push(samples: Int16Array, count: number, now: number): void {
    let start = 0
    if (this.drySamples > 0) {
      // Silence sent for a pause we already sat through while dry has elapsed: don't play it twice.
      while (start < count && this.drySamples > 0 && samples[start] === 0) {
        start++
        this.drySamples--
      }
      if (start < count) {
        if (now - this.dryAt < UNDERRUN_WINDOW_MS) this.underruns++
        this.drySamples = 0
      }
    }
    const capacity = this.ring.length
    for (let i = start; i < count; i++) {
      if (this.size === capacity) {
        this.readIndex = (this.readIndex + 1) % capacity
        this.size--
        this.droppedSamples++
      }
      this.ring[(this.readIndex + this.size) % capacity] = samples[i]!
      this.size++
    }
    const limit = Math.round(((this.targetMs + MAX_EXCESS_MS) * this.sampleRate) / 1000)
    const excess = this.size > limit ? this.size - Math.round((this.targetMs * this.sampleRate) / 1000) : 0
    if (excess > 0) {
      this.readIndex = (this.readIndex + excess) % capacity
      this.size -= excess
      this.droppedSamples += excess
    }
    if (this.state === 'idle' && this.size > 0) this.state = 'buffering'
    if (this.state === 'buffering' && this.bufferedMs >= this.targetMs) this.state = 'playing'
  }

  /**
   * Adds `count` samples (scaled by gain) into `mix` from `offset`; silence while buffering.
   * With no `mix`, only advances: main's mirror of a buffer that plays somewhere else.
   */
  mixInto(mix: Float32Array | null, offset: number, count: number, now: number): void {
    if (this.state !== 'playing') {
      if (this.state === 'idle' || this.size === 0) this.drySamples += count
      return
    }
    const available = Math.min(count, this.size)
    const capacity = this.ring.length
    const gain = this.gain
    if (mix) for (let i = 0; i < available; i++) mix[offset + i]! += this.ring[(this.readIndex + i) % capacity]! * gain
    this.readIndex = (this.readIndex + available) % capacity
    this.size -= available
    if (available < count) {
      this.state = 'idle'
      this.dryAt = now
      this.drySamples = count - available
    }
  }

  clear(): void {
    this.readIndex = 0
    this.size = 0
    this.state = 'idle'
    this.drySamples = 0
  }
}
