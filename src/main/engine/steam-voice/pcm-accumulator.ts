/** A growable int16 buffer that is reused across calls: grows rarely, never shrinks. */
export class PcmAccumulator {
  samples: Int16Array
  bytes: Uint8Array
  length = 0

  constructor(initialSamples: number) {
    this.samples = new Int16Array(initialSamples)
    this.bytes = new Uint8Array(this.samples.buffer)
  }

  reset(): void {
    this.length = 0
  }

  /** Makes room for `more` samples after the current length. */
  reserve(more: number): void {
    const needed = this.length + more
    if (needed <= this.samples.length) return
    let size = this.samples.length * 2
    while (size < needed) size *= 2
    const grown = new Int16Array(size)
    grown.set(this.samples.subarray(0, this.length))
    this.samples = grown
    this.bytes = new Uint8Array(grown.buffer)
  }

  append(source: Int16Array, start: number, count: number): void {
    this.reserve(count)
    const target = this.samples
    const offset = this.length
    for (let i = 0; i < count; i++) target[offset + i] = source[start + i]!
    this.length += count
  }

  appendSilence(count: number): void {
    this.reserve(count)
    this.samples.fill(0, this.length, this.length + count)
    this.length += count
  }
}
