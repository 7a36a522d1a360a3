import { bestCut, crossfadeCut, isQuiet } from './time-stretch'

/**
 * One speaker's continuous stream of PCM between the network and the output: filled as packets
 * decode, drained a block at a time by the output's clock. It holds as little audio as the
 * link's jitter allows, and comes back to that after a burst instead of keeping the delay.
 *
 * The quantity it steers is the low water: the least audio still queued when new audio arrives,
 * which is how long that new audio waits. It must cover one output block (whatever the phase of
 * the output against the arrivals) plus a margin for late packets; anything above that is pure
 * delay. So the target low water is one output block plus a margin (5 ms, or twice the jitter),
 * plus what the last underruns showed was missing: an underrun raises the target by how long the
 * stream ran dry, and that wears off over seconds. When the low water over the last quarter second sits above
 * the target, the excess is cut out: silences at once, speech (when no pause has come within
 * 300 ms) a pitch period at a time with a cross-fade, faster while the excess is large.
 *
 * The same class plays in the app's worklet and in the headless peer; it allocates nothing after
 * construction.
 */

/** A late packet's lateness counts up to this much in the jitter estimate (a stall is not jitter). */
const MAX_JITTER_SAMPLE_MS = 40
const MIN_MARGIN_MS = 5
const MAX_TARGET_MS = 120
/**
 * An underrun asks for as much more margin as the stream was dry (2 ms at least, 10 at most: a
 * longer gap is an outage, which more margin would not have covered), wearing off this fast: a
 * hiccup every few seconds keeps the margin that covers it.
 */
const MIN_UNDERRUN_PENALTY_MS = 2
const MAX_UNDERRUN_PENALTY_MS = 10
const PENALTY_DECAY_MS_PER_S = 1
/** The low water is the least queued ahead of any packet in the last this long. */
const WINDOW_MS = 200
/** Packets remembered for it (more than a window's worth at 20 ms a packet). */
const WINDOW_PACKETS = 32
/** An excess below this is left alone (it costs less than the cuts would). */
const HYSTERESIS_MS = 2
/** A cut every this much output at most... */
const CUT_SPACING_MS = 20
/** ...removing up to this much (speech), or this much while the excess is large. */
const GENTLE_CUT_MS = 5
const FAST_CUT_MS = 10
const FAST_EXCESS_MS = 60
/** A silence may go in one cut of up to this. */
const SILENCE_CUT_MS = 50
/**
 * Speech is cut only once an excess has lasted this long without a pause to take it from: people
 * pause between words every few hundred ms, and a silence cut is inaudible where a speech cut is
 * only nearly so.
 */
const SPEECH_CUT_PATIENCE_MS = 300
/** Quieter than this (RMS, about −50 dBFS) is silence. */
const QUIET_RMS = 100
/** Past this, the oldest audio goes at once: a wait this long is worse than losing it. */
const MAX_QUEUE_MS = 500
/**
 * Running dry, then hearing more within this long and without a pause before it, means the stream
 * was still going: an underrun. (Senders encode pauses under a second as silence; a new sentence
 * after a longer one, or after the end of the stream, is not an underrun.)
 */
const UNDERRUN_WINDOW_MS = 1000

export type PlayoutState = 'idle' | 'playing'

export interface PlayoutOptions {
  /** Samples the output takes at a time (the worklet's 128; the headless peer's 5 ms). */
  blockSamples: number
}

export class PlayoutBuffer {
  state: PlayoutState = 'idle'
  gain = 1
  /** RFC 3550-style mean deviation of arrivals from the audio they bring, in ms. */
  jitterMs = 0
  underruns = 0
  /** Samples cut to bring the delay back down. */
  cutSamples = 0
  /** Audio that was queued ahead of the last push, in ms: that push's wait before it plays. */
  queueAheadMs = 0

  private readonly ring: Int16Array
  private readIndex = 0
  private size = 0
  private blockMs: number
  private readonly overlap: number
  /** bestCut's grid: about every 1/12000 s, fine enough for voice's periods. */
  private readonly searchStride: number
  private penaltyMs = 0
  private penaltyAt = 0
  private lastPushAt = NaN
  private lastPushMs = 0
  /** What was queued ahead of each recent packet (ms), and when it came: the low water's window. */
  private readonly aheadLevels = new Float64Array(WINDOW_PACKETS)
  private readonly aheadTimes = new Float64Array(WINDOW_PACKETS).fill(-Infinity)
  private aheadNext = 0
  /** Samples that may be cut now, and output played since the last cut. */
  private excess = 0
  /** When the current excess appeared (ms on the output's clock). */
  private excessSince = 0
  private sinceCut = 0
  private dryAt = -Infinity

  constructor(
    readonly sampleRate: number,
    options: PlayoutOptions
  ) {
    this.ring = new Int16Array(Math.ceil(sampleRate * 2))
    this.blockMs = (options.blockSamples * 1000) / sampleRate
    this.overlap = Math.max(8, Math.round(sampleRate * 0.005))
    this.searchStride = Math.max(1, Math.round(sampleRate / 12000))
  }

  /**
   * How much the output takes at once (samples). A browser's audio thread renders several
   * quanta back to back per device callback, so the worklet tells what it sees.
   */
  setBlockSamples(samples: number): void {
    this.blockMs = (samples * 1000) / this.sampleRate
  }

  get bufferedMs(): number {
    return (this.size * 1000) / this.sampleRate
  }

  /** The low water it aims for now, in ms. */
  targetMs(now: number): number {
    const penalty = Math.max(0, this.penaltyMs - ((now - this.penaltyAt) / 1000) * PENALTY_DECAY_MS_PER_S)
    return Math.min(MAX_TARGET_MS, this.blockMs + Math.max(MIN_MARGIN_MS, 2 * this.jitterMs) + penalty)
  }

  /**
   * Decoded audio arriving at `now` (ms on the output's clock). `afterPause`: the caller already
   * took a pause the sender sent as silence off the front (the worklet does, before resampling).
   */
  push(samples: Int16Array, offset: number, count: number, now: number, afterPause = false): void {
    if (count <= 0) return
    const starting = this.state === 'idle'
    if (starting) {
      // A pause the sender sent as silence has already gone by while we were idle: skip it.
      let silent = 0
      while (silent < count && samples[offset + silent] === 0) silent++
      offset += silent
      count -= silent
      if (count <= 0) return
      // Back within moments, mid-sentence (no pause before it): the stream ran dry under us.
      if (silent === 0 && !afterPause && now - this.dryAt < UNDERRUN_WINDOW_MS) this.underrun(now, now - this.dryAt)
      // Start the target's worth late, so the low water sits at the target from the first packet.
      const preroll = Math.round((this.targetMs(now) * this.sampleRate) / 1000)
      this.size = 0
      this.readIndex = 0
      this.writeSilence(preroll)
      this.state = 'playing'
      this.lastPushAt = NaN
      this.aheadTimes.fill(-Infinity)
    } else if (!Number.isNaN(this.lastPushAt)) {
      const lateness = Math.min(MAX_JITTER_SAMPLE_MS, Math.abs(now - this.lastPushAt - this.lastPushMs))
      this.jitterMs += (lateness - this.jitterMs) / 16
    }
    this.queueAheadMs = this.bufferedMs
    // (A stream's first packet waits the preroll by construction: it says nothing about the link.)
    if (!starting) {
      this.aheadLevels[this.aheadNext] = this.queueAheadMs
      this.aheadTimes[this.aheadNext] = now
      this.aheadNext = (this.aheadNext + 1) % WINDOW_PACKETS
    }
    this.lastPushAt = now
    this.lastPushMs = (count * 1000) / this.sampleRate
    this.write(samples, offset, count)
    const max = Math.round((MAX_QUEUE_MS * this.sampleRate) / 1000)
    if (this.size > max) this.cut(this.size - max, this.overlap)
  }

  /**
   * Adds the next `count` samples, times the gain, into `mix` from `offset` (null: only drains).
   * Silence while idle; a gap if the stream runs dry.
   */
  pull(mix: Float32Array | null, offset: number, count: number, now: number): void {
    if (this.state !== 'playing') return
    this.watchLowWater(now)
    if (this.excess > 0) this.shorten(count, now)
    const available = Math.min(count, this.size)
    if (mix) {
      const ring = this.ring
      const length = ring.length
      const gain = this.gain
      for (let i = 0; i < available; i++) mix[offset + i]! += ring[(this.readIndex + i) % length]! * gain
    }
    this.readIndex = (this.readIndex + available) % this.ring.length
    this.size -= available
    this.sinceCut += available
    if (available < count) {
      this.state = 'idle'
      this.dryAt = now
      this.excess = 0
    }
  }

  /** The sender ended its stream (released push-to-talk): what follows is a new one, not a resumption. */
  endOfStream(): void {
    this.dryAt = -Infinity
  }

  /** Forget everything queued (the speaker left, or their stream restarted elsewhere). */
  clear(): void {
    this.size = 0
    this.readIndex = 0
    this.state = 'idle'
    this.excess = 0
    this.aheadTimes.fill(-Infinity)
    this.dryAt = -Infinity
  }

  private underrun(now: number, dryMs: number): void {
    this.underruns++
    const penalty = Math.max(0, this.penaltyMs - ((now - this.penaltyAt) / 1000) * PENALTY_DECAY_MS_PER_S)
    const missing = Math.min(MAX_UNDERRUN_PENALTY_MS, Math.max(MIN_UNDERRUN_PENALTY_MS, dryMs + 1))
    this.penaltyMs = Math.min(MAX_TARGET_MS, penalty + missing)
    this.penaltyAt = now
  }

  /** The low water over the window: what sits above the target may be cut. */
  private watchLowWater(now: number): void {
    let low = Infinity
    let packets = 0
    for (let i = 0; i < WINDOW_PACKETS; i++) {
      if (now - this.aheadTimes[i]! > WINDOW_MS) continue
      packets++
      if (this.aheadLevels[i]! < low) low = this.aheadLevels[i]!
    }
    // A window with no packet in it, or only one, says nothing.
    const above = packets >= 2 ? low - this.targetMs(now) : 0
    const excess = above > HYSTERESIS_MS ? Math.round((above * this.sampleRate) / 1000) : 0
    if (excess > 0 && this.excess === 0) this.excessSince = now
    this.excess = excess
  }

  /** Cuts part of the excess before the next block: silence at once, speech a period at a time. */
  private shorten(count: number, now: number): void {
    const rate = this.sampleRate
    const spare = this.size - count - this.overlap
    if (spare <= 0) return
    const silence = Math.min(this.excess, spare, Math.round((SILENCE_CUT_MS * rate) / 1000))
    if (silence > 0 && isQuiet(this.ring, this.readIndex, silence + this.overlap, QUIET_RMS)) {
      this.cut(silence, this.overlap)
      return
    }
    if (now - this.excessSince < SPEECH_CUT_PATIENCE_MS) return
    if (this.sinceCut < (CUT_SPACING_MS * rate) / 1000) return
    const largest = ((this.excess > (FAST_EXCESS_MS * rate) / 1000 ? FAST_CUT_MS : GENTLE_CUT_MS) * rate) / 1000
    const maxCut = Math.min(Math.round(largest), this.excess, spare)
    const minCut = Math.round(rate * 0.0025)
    if (maxCut < minCut) return
    const cut = bestCut(this.ring, this.readIndex, this.overlap, minCut, maxCut, this.searchStride)
    if (cut > 0) this.cut(cut, this.overlap)
    // No clean join in reach: try again on fresh audio, a cut's spacing later, not every block.
    else this.sinceCut = 0
  }

  private cut(samples: number, overlap: number): void {
    crossfadeCut(this.ring, this.readIndex, samples, Math.min(overlap, this.size - samples))
    this.readIndex = (this.readIndex + samples) % this.ring.length
    this.size -= samples
    this.cutSamples += samples
    this.excess = Math.max(0, this.excess - samples)
    this.sinceCut = 0
    // Every packet in the window now has that much less ahead of it.
    const ms = (samples * 1000) / this.sampleRate
    for (let i = 0; i < WINDOW_PACKETS; i++) this.aheadLevels[i]! -= ms
  }

  private write(samples: Int16Array, offset: number, count: number): void {
    const ring = this.ring
    const length = ring.length
    for (let i = 0; i < count; i++) {
      if (this.size === length) {
        // Full (two seconds queued): the oldest goes.
        this.readIndex = (this.readIndex + 1) % length
        this.size--
        this.cutSamples++
      }
      ring[(this.readIndex + this.size) % length] = samples[offset + i]!
      this.size++
    }
  }

  private writeSilence(count: number): void {
    const length = this.ring.length
    for (let i = 0; i < count && this.size < length; i++) this.ring[(this.readIndex + this.size++) % length] = 0
  }
}
