const CAPACITY = 64
/** A packet this far behind the stream is a restarted sender, not a late packet. */
const RESTART_DISTANCE = 1024

export type InsertOutcome = 'accepted' | 'late' | 'duplicate'

export interface ReorderStats {
  late: number
  duplicate: number
  /** Sequence numbers given up on after waiting (the decoder conceals what they held). */
  skipped: number
}

/**
 * One speaker's voice packets, put back in sending order by wire sequence. In-order packets
 * pass straight through; at a gap it waits up to `waitMs` for the missing one, then moves on.
 */
export class ReorderBuffer {
  readonly stats: ReorderStats = { late: 0, duplicate: 0, skipped: 0 }
  private readonly slots: Uint8Array[]
  private readonly lengths = new Uint16Array(CAPACITY)
  private readonly sequences = new Int32Array(CAPACITY).fill(-1)
  private readonly arrivals = new Float64Array(CAPACITY)
  private readonly sentAt = new Float64Array(CAPACITY)
  /** Recently released sequence numbers, to tell a duplicate from a late packet. */
  private readonly released = new Int32Array(CAPACITY).fill(-1)
  private next = -1
  private held = 0

  /** `maxPacketBytes`: the largest packet the transport delivers. */
  constructor(maxPacketBytes = 1200) {
    this.slots = Array.from({ length: CAPACITY }, () => new Uint8Array(maxPacketBytes))
  }

  insert(
    sequence: number,
    bytes: Uint8Array,
    offset: number,
    length: number,
    arrivalMs: number,
    sentMs: number
  ): InsertOutcome {
    if (length > this.slots[0]!.length) return 'late'
    if (this.next < 0) this.next = sequence
    const ahead = (sequence - this.next) & 0xffff
    if (ahead >= 0x8000) {
      const behind = 0x10000 - ahead
      if (behind < RESTART_DISTANCE) {
        if (this.released[sequence % CAPACITY] === sequence) this.stats.duplicate++
        else this.stats.late++
        return this.released[sequence % CAPACITY] === sequence ? 'duplicate' : 'late'
      }
      this.restartAt(sequence)
    } else if (ahead >= CAPACITY) {
      this.restartAt(sequence) // too far ahead to wait for what is between: start afresh there
    }
    const slot = sequence % CAPACITY
    if (this.sequences[slot] === sequence) {
      this.stats.duplicate++
      return 'duplicate'
    }
    const target = this.slots[slot]!
    for (let i = 0; i < length; i++) target[i] = bytes[offset + i]!
    this.lengths[slot] = length
    this.sequences[slot] = sequence
    this.arrivals[slot] = arrivalMs
    this.sentAt[slot] = sentMs
    this.held++
    return 'accepted'
  }

  /**
   * Hands packets to `deliver` in order: every one that is next in line, and past a gap once
   * the packet after it has waited `waitMs`.
   */
  release(
    now: number,
    waitMs: number,
    deliver: (bytes: Uint8Array, length: number, sentMs: number, arrivedMs: number) => void
  ): void {
    while (this.held > 0) {
      const slot = this.next % CAPACITY
      if (this.sequences[slot] === this.next) {
        this.sequences[slot] = -1
        this.released[slot] = this.next
        this.held--
        this.next = (this.next + 1) & 0xffff
        deliver(this.slots[slot]!, this.lengths[slot]!, this.sentAt[slot]!, this.arrivals[slot]!)
        continue
      }
      // (A hair of slack: a timer set for the deadline must find it passed.)
      if (now - this.oldestArrival() < waitMs - 0.01) return
      this.stats.skipped++
      this.released[slot] = -1
      this.next = (this.next + 1) & 0xffff
    }
  }

  get depth(): number {
    return this.held
  }

  /** When the oldest packet still held arrived (Infinity when none is). */
  oldestArrival(): number {
    let oldest = Infinity
    for (let i = 0; i < CAPACITY; i++)
      if (this.sequences[i]! >= 0 && this.arrivals[i]! < oldest) oldest = this.arrivals[i]!
    return oldest
  }

  private restartAt(sequence: number): void {
    this.sequences.fill(-1)
    this.released.fill(-1)
    this.held = 0
    this.next = sequence
  }
}
