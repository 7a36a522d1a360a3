import {
  MAX_PLAYBACK_FRAME_BYTES,
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_END,
  PLAYBACK_FRAME_GONE,
  MAX_PLAYBACK_FRAME_SAMPLES,
  writePlaybackFrame,
  type PlaybackFrameKind
} from '../../../shared/playback-frame'
import { parsePlayoutReport, type SpeakerPlayout } from '../../../shared/playout-report'
import { splitSteamId } from '../../../shared/steam-id'
import type { PlayoutFigures, PlayoutSink } from './playout-sink'

/**
 * Sends a frame to one page. `frame` is a view of a buffer main reuses: valid only during the
 * call (Electron's MessagePort copies it; the browser host's socket must copy it).
 */
export type PlaybackFrameListener = (frame: Uint8Array) => void

/** A report older than this says nothing about the queue now: the page is gone or stalled. */
const STALE_REPORT_MS = 1000

/**
 * The app's playout: every speaker's audio goes to the page's playback worklet as frames, and the
 * worklet reports back how its queues stand. This is the one place main learns them.
 */
export class PlaybackPort {
  /** An array, not a Set: iterating it allocates nothing. */
  private listeners: PlaybackFrameListener[] = []
  /** Deafened: no speaker's audio leaves for the page (its queues run dry and play silence; ends and departures still go). */
  silenced = false
  private readonly playouts = new Map<bigint, RemotePlayout>()
  private readonly frame = new Uint8Array(MAX_PLAYBACK_FRAME_BYTES)
  private readonly views: Uint8Array[] = []
  /** The output's own latency, as the page last said (ms). */
  outputLatencyMs = 0
  /** Frames the worklet refused, and reports main refused. */
  refusedByWorklet = 0
  reportsRefused = 0

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Frames go to `listener` until the returned function is called. */
  addListener(listener: PlaybackFrameListener): () => void {
    this.listeners = [...this.listeners, listener]
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener)
    }
  }

  open(speaker: bigint): RemotePlayout {
    const playout = new RemotePlayout(this, speaker)
    this.playouts.get(speaker)?.close()
    this.playouts.set(speaker, playout)
    return playout
  }

  /** A report from a worklet (binary, playout-report.ts); false when malformed (dropped, counted). */
  report(bytes: ArrayBuffer | Uint8Array): boolean {
    const report = parsePlayoutReport(bytes)
    if (!report) {
      this.reportsRefused++
      return false
    }
    const now = this.clock()
    this.outputLatencyMs = report.outputLatencyMs
    this.refusedByWorklet = report.refused
    for (const speaker of report.speakers) {
      for (const playout of this.playouts.values()) {
        if (playout.low === speaker.speakerLow && playout.high === speaker.speakerHigh) playout.reported(speaker, now)
      }
    }
    return true
  }

  /** @internal A frame to every page. */
  broadcast(
    kind: PlaybackFrameKind,
    low: number,
    high: number,
    sampleRate: number,
    samples: Int16Array | null,
    offset: number,
    count: number
  ): void {
    if (this.listeners.length === 0 || (this.silenced && kind === PLAYBACK_FRAME_AUDIO)) return
    const sentAt = performance.timeOrigin + performance.now()
    if (!samples) return this.deliver(writePlaybackFrame(this.frame, kind, low, high, sampleRate, sentAt, null))
    for (let done = 0; done < count; done += MAX_PLAYBACK_FRAME_SAMPLES) {
      const part = Math.min(count - done, MAX_PLAYBACK_FRAME_SAMPLES)
      this.deliver(writePlaybackFrame(this.frame, kind, low, high, sampleRate, sentAt, samples, offset + done, part))
    }
  }

  private deliver(length: number): void {
    // One view per length, made once: a new view per frame would allocate on the receive path.
    const view = (this.views[length] ??= this.frame.subarray(0, length))
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) listeners[i]!(view)
  }

  /** @internal */
  forget(playout: RemotePlayout): void {
    if (this.playouts.get(playout.speaker) === playout) this.playouts.delete(playout.speaker)
  }

  get now(): number {
    return this.clock()
  }
}

/** One speaker's playout in the page's worklet, as main sees it: frames out, reports in. */
export class RemotePlayout implements PlayoutSink {
  readonly low: number
  readonly high: number
  private reportedLevelMs = 0
  private reportedAt = -Infinity
  /** Audio sent since the last report (ms): the worklet had not counted it yet. */
  private sentSinceReportMs = 0
  private queueAheadMs = 0
  private transitMs = 0
  private closed = false
  readonly figures: PlayoutFigures = { targetMs: 0, jitterMs: 0, underruns: 0, cutMs: 0 }

  constructor(
    private readonly port: PlaybackPort,
    readonly speaker: bigint
  ) {
    const { low, high } = splitSteamId(speaker)
    this.low = low
    this.high = high
  }

  push(samples: Int16Array, offset: number, count: number, sampleRate: number): void {
    if (this.closed || count <= 0 || this.port.silenced) return
    this.sentSinceReportMs += (count * 1000) / sampleRate
    this.port.broadcast(PLAYBACK_FRAME_AUDIO, this.low, this.high, sampleRate, samples, offset, count)
  }

  endOfStream(): void {
    if (!this.closed) this.port.broadcast(PLAYBACK_FRAME_END, this.low, this.high, 48000, null, 0, 0)
  }

  levelMs(now: number): number {
    if (now - this.reportedAt > STALE_REPORT_MS) return 0
    return Math.max(0, this.reportedLevelMs - (now - this.reportedAt) + this.sentSinceReportMs)
  }

  get aheadMs(): number {
    return this.queueAheadMs + this.transitMs + this.port.outputLatencyMs
  }

  /** @internal The worklet's latest word on this speaker's queue. */
  reported(speaker: SpeakerPlayout, now: number): void {
    this.reportedLevelMs = speaker.levelMs
    this.reportedAt = now
    this.sentSinceReportMs = 0
    this.queueAheadMs = speaker.aheadMs
    this.transitMs = Math.max(0, speaker.transitMs)
    this.figures.targetMs = Math.round(speaker.targetMs * 10) / 10
    this.figures.jitterMs = Math.round(speaker.jitterMs * 10) / 10
    this.figures.underruns = speaker.underruns
    this.figures.cutMs = Math.round(speaker.cutMs)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.port.broadcast(PLAYBACK_FRAME_GONE, this.low, this.high, 48000, null, 0, 0)
    this.port.forget(this)
  }
}
