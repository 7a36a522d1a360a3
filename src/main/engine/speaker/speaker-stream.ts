import { rmsDbfs } from '../audio/level'
import type { PlayoutSink } from '../playout/playout-sink'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { EVoiceResult } from '../steam-voice/voice-result'
import { Alarm, type Scheduler } from '../time/scheduler'
import { ReorderBuffer } from './reorder-buffer'
import { SpeakingTracker } from './speaking-tracker'

/**
 * At a gap, wait for the missing packet only while the speaker still has more than this much
 * audio queued; then let the decoder conceal it rather than let playback run dry.
 */
const GAP_SAFETY_MS = 5
/** Latency figures kept for percentiles. */
const LATENCY_SAMPLES = 512

/** Where a packet's time went on this side, summed over packets (means for the bench's stage shares). */
export interface StageTimes {
  packets: number
  /** From its first sample's capture to its arrival here: the frame, encoding, sending, the network. */
  captureToArrivalMs: number
  /** Held for a missing packet before it. */
  reorderMs: number
  decodeMs: number
  /** Queued ahead of it in the playout (and transit and output latency, for the app's). */
  queueMs: number
}

export interface SpeakerStats {
  received: number
  late: number
  duplicate: number
  /** Sequence numbers never received (skipped at a gap). */
  lost: number
  /** Frames the decoder made up for what was lost. */
  concealed: number
  corrupt: number
}

export interface SpeakerStreamOptions {
  id: bigint
  voice: SteamVoice
  playout: PlayoutSink
  scheduler: Scheduler
  /** The rate to decode at now (the sample-rate setting, resolved). */
  sampleRate: () => number
  /** Largest packet the transport delivers. */
  maxPacketBytes: number
  /** Their speaking state or level changed. */
  onActivity: (stream: SpeakerStream) => void
}

/**
 * One remote speaker, from their packets to their place in the playout: it puts packets back in
 * order, waits at a gap only while there is audio to spare, decodes, hands the audio to the
 * playout, tracks whether they are speaking, and is the one place their figures come from.
 */
export class SpeakerStream {
  readonly id: bigint
  /** The id as the contract names members (decimal). */
  readonly key: string
  readonly stats: SpeakerStats = { received: 0, late: 0, duplicate: 0, lost: 0, concealed: 0, corrupt: 0 }
  readonly activity = new SpeakingTracker()
  readonly stages: StageTimes = { packets: 0, captureToArrivalMs: 0, reorderMs: 0, decodeMs: 0, queueMs: 0 }
  private readonly reorder: ReorderBuffer
  private readonly gapAlarm: Alarm
  private readonly quietAlarm: Alarm
  private readonly latencies = new Float64Array(LATENCY_SAMPLES)
  private latencyCount = 0
  private deliveredCapturedAt = 0
  private pcmView: Int16Array = new Int16Array(0)
  private closed = false

  constructor(private readonly options: SpeakerStreamOptions) {
    this.id = options.id
    this.key = options.id.toString()
    this.reorder = new ReorderBuffer(options.maxPacketBytes)
    this.gapAlarm = new Alarm(options.scheduler, () => this.release(options.scheduler.now()))
    this.quietAlarm = new Alarm(options.scheduler, () => this.age(options.scheduler.now()))
  }

  get playout(): PlayoutSink {
    return this.options.playout
  }

  /**
   * A packet from this speaker: sequence number, bytes (valid only during the call), and when
   * its first sample was captured, on this process's performance.now() clock.
   */
  receive(sequence: number, bytes: Uint8Array, offset: number, length: number, capturedAt: number): void {
    if (this.closed) return
    this.stats.received++
    const now = this.options.scheduler.now()
    const outcome = this.reorder.insert(sequence, bytes, offset, length, now, capturedAt)
    if (outcome === 'late') this.stats.late++
    else if (outcome === 'duplicate') this.stats.duplicate++
    else this.release(now)
  }

  /** Mouth-to-ear of this speaker's recent packets (ms), in no particular order. */
  recentLatencies(): number[] {
    return Array.from(this.latencies.subarray(0, Math.min(this.latencyCount, LATENCY_SAMPLES)))
  }

  latency(): { p50: number | null; p95: number | null } {
    return percentiles(this.recentLatencies())
  }

  close(): void {
    this.closed = true
    this.gapAlarm.cancel()
    this.quietAlarm.cancel()
    this.options.playout.close()
    if (this.activity.speaking) {
      this.activity.speaking = false
      this.options.onActivity(this)
    }
  }

  /** Delivers what is in order; at a gap, waits while the queue has audio to spare, then moves on. */
  private release(now: number): void {
    const reorder = this.reorder
    if (reorder.depth === 0) return
    const wait = Math.max(0, this.options.playout.levelMs(now) - GAP_SAFETY_MS)
    const lostBefore = reorder.stats.skipped
    reorder.release(now, wait, this.deliver)
    this.stats.lost += reorder.stats.skipped - lostBefore
    if (reorder.depth > 0) this.gapAlarm.wakeAt(Math.max(now + 0.5, reorder.oldestArrival() + wait))
  }

  private readonly deliver = (bytes: Uint8Array, length: number, capturedAt: number, arrivedAt: number): void => {
    this.deliveredCapturedAt = capturedAt
    const now = this.options.scheduler.now()
    const rate = this.options.sampleRate()
    const decodeStart = performance.now()
    const result = this.options.voice.decompressVoice(bytes, rate, length)
    const decodeMs = performance.now() - decodeStart
    this.stats.concealed += result.concealed ?? 0
    if (result.result !== EVoiceResult.OK) {
      if (result.result === EVoiceResult.DataCorrupted) this.stats.corrupt++
      if (result.ended) this.options.playout.endOfStream()
      return
    }
    const pcm = result.uncompressed
    if (this.pcmView.buffer !== pcm.buffer)
      this.pcmView = new Int16Array(pcm.buffer as ArrayBuffer, pcm.byteOffset, pcm.byteLength >> 1)
    const count = result.size >> 1
    const playout = this.options.playout
    playout.push(this.pcmView, 0, count, rate, now)
    if (result.ended) playout.endOfStream()
    // Mouth-to-ear: capture to here, then the queue ahead of it, transit and the output.
    this.latencies[this.latencyCount++ % LATENCY_SAMPLES] = now - this.deliveredCapturedAt + playout.aheadMs
    const stages = this.stages
    stages.packets++
    stages.captureToArrivalMs += arrivedAt - capturedAt
    stages.reorderMs += now - arrivedAt
    stages.decodeMs += decodeMs
    stages.queueMs += playout.aheadMs
    if (this.activity.heard(rmsDbfs(this.pcmView, 0, count), now)) this.options.onActivity(this)
    this.quietAlarm.wakeAt(this.activity.quietAt)
  }

  private age(now: number): void {
    if (this.activity.update(now)) this.options.onActivity(this)
    if (this.activity.speaking) this.quietAlarm.wakeAt(this.activity.quietAt)
  }
}

export function percentiles(values: number[]): { p50: number | null; p95: number | null } {
  if (!values.length) return { p50: null, p95: null }
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10
  return { p50: at(0.5), p95: at(0.95) }
}
