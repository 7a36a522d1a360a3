import type { MicrophoneSource } from './microphone-source'

/**
 * Audio pushed in from outside (the renderer's capture worklet): a bounded FIFO. When the
 * reader falls behind by more than its capacity, the oldest audio goes, and is counted.
 */
export class PushedPcmSource implements MicrophoneSource {
  readonly ended = false
  private readonly ring: Int16Array
  private readIndex = 0
  private size = 0
  overflowedSamples = 0

  constructor(
    readonly sampleRate: number,
    capacitySeconds = 1
  ) {
    this.ring = new Int16Array(Math.ceil(sampleRate * capacitySeconds))
  }

  get buffered(): number {
    return this.size
  }

  push(samples: Int16Array): void {
    const capacity = this.ring.length
    for (let i = 0; i < samples.length; i++) {
      if (this.size === capacity) {
        this.readIndex = (this.readIndex + 1) % capacity
        this.size--
        this.overflowedSamples++
      }
      this.ring[(this.readIndex + this.size) % capacity] = samples[i]!
      this.size++
    }
  }

  read(out: Int16Array): number {
    const count = Math.min(out.length, this.size)
    const capacity = this.ring.length
    for (let i = 0; i < count; i++) out[i] = this.ring[(this.readIndex + i) % capacity]!
    this.readIndex = (this.readIndex + count) % capacity
    this.size -= count
    return count
  }

  discard(): void {
    this.readIndex = 0
    this.size = 0
  }
}
