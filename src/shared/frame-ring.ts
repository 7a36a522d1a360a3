/**
 * A wait-free ring of whole frames in a SharedArrayBuffer, for exactly one writer thread and one
 * reader thread (after padenot/ringbuf.js, which carries samples; this carries variable-length
 * frames, each with a two-byte length before it). The writer is the thread that receives main's
 * frames (the page's socket worker); the reader is the playback worklet's process(), which copies
 * a frame out into its own buffer and allocates nothing.
 *
 * Layout: four Int32 slots (the write index, the read index, a flag the reader raises when it
 * rests, and how many frames were ever written), then the bytes. An index is where the next byte goes or comes from; one byte always
 * stays free, so equal indices mean empty. Each side publishes its index with Atomics.store after
 * its bytes, so the other side never sees a frame before its bytes.
 */

const WRITE = 0
const READ = 1
const RESTING = 2
const WRITTEN = 3
const HEADER_BYTES = 16
const LENGTH_BYTES = 2
/** The longest frame a ring carries (its length is a 16-bit number). */
export const MAX_RING_FRAME_BYTES = 0xffff

/** A SharedArrayBuffer for a ring that holds `capacity` bytes of frames (lengths included). */
export function frameRingBuffer(capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(capacity) || capacity < 4) throw new RangeError('a ring holds at least 4 bytes')
  return new SharedArrayBuffer(HEADER_BYTES + capacity + 1)
}

/** Checks a buffer handed over from another thread before either side uses it. */
export function isFrameRingBuffer(value: unknown): value is SharedArrayBuffer {
  return (
    typeof SharedArrayBuffer !== 'undefined' &&
    value instanceof SharedArrayBuffer &&
    value.byteLength > HEADER_BYTES + 4
  )
}

export class FrameRing {
  protected readonly indices: Int32Array
  protected readonly bytes: Uint8Array
  protected readonly size: number

  constructor(buffer: SharedArrayBuffer) {
    this.indices = new Int32Array(buffer, 0, HEADER_BYTES / 4)
    this.bytes = new Uint8Array(buffer, HEADER_BYTES)
    this.size = this.bytes.length
  }

  /** Frames ever written (wraps at 2^31): a third thread can tell whether any came since it last looked. */
  get framesWritten(): number {
    return Atomics.load(this.indices, WRITTEN)
  }

  /** Bytes waiting to be read (frames and their lengths). */
  get queuedBytes(): number {
    const write = Atomics.load(this.indices, WRITE)
    const read = Atomics.load(this.indices, READ)
    return (write - read + this.size) % this.size
  }
}

export class FrameRingWriter extends FrameRing {
  /** Frames that did not fit (the reader fell behind, or rests). */
  dropped = 0

  /** Space for the next frame's bytes, its length included. */
  get freeBytes(): number {
    return this.size - 1 - this.queuedBytes
  }

  /** Adds one frame; false (and counted) when it does not fit whole. */
  write(frame: Uint8Array): boolean {
    const length = frame.length
    if (length === 0 || length > MAX_RING_FRAME_BYTES || length + LENGTH_BYTES > this.freeBytes) {
      this.dropped++
      return false
    }
    const bytes = this.bytes
    const size = this.size
    let at = Atomics.load(this.indices, WRITE)
    bytes[at] = length & 0xff
    bytes[(at + 1) % size] = length >>> 8
    at = (at + LENGTH_BYTES) % size
    for (let i = 0; i < length; i++) {
      bytes[at] = frame[i]!
      if (++at === size) at = 0
    }
    Atomics.store(this.indices, WRITE, at)
    Atomics.add(this.indices, WRITTEN, 1)
    return true
  }

  /** Lowers the reader's resting flag; true when it was raised (the reader must be woken). */
  takeResting(): boolean {
    return Atomics.compareExchange(this.indices, RESTING, 1, 0) === 1
  }
}

export class FrameRingReader extends FrameRing {
  /**
   * Copies the next frame into `into` and returns its length; 0 when none is waiting. A frame
   * longer than `into` is skipped (and -1 returned): the writer wrote what this side cannot hold.
   */
  read(into: Uint8Array): number {
    const write = Atomics.load(this.indices, WRITE)
    let at = Atomics.load(this.indices, READ)
    if (at === write) return 0
    const bytes = this.bytes
    const size = this.size
    const length = bytes[at]! | (bytes[(at + 1) % size]! << 8)
    at = (at + LENGTH_BYTES) % size
    const fits = length <= into.length
    // A loop, not subarray() and set(): a view would be a new object on every frame.
    if (fits) {
      for (let i = 0, from = at; i < length; i++) {
        into[i] = bytes[from]!
        if (++from === size) from = 0
      }
    }
    Atomics.store(this.indices, READ, (at + length) % size)
    return fits ? length : -1
  }

  /** Says this side has stopped reading until woken (the writer sees it on its next frame). */
  rest(): void {
    Atomics.store(this.indices, RESTING, 1)
  }
}
