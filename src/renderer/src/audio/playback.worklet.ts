import type {} from './audio-worklet-scope'
import { CubicResampler } from '@shared/cubic-resampler'
import {
  MAX_PLAYBACK_FRAME_SAMPLES,
  MAX_PLAYBACK_FRAME_BYTES,
  parsePlaybackFrameIn,
  PlaybackFrameView,
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_END,
  PLAYBACK_FRAME_GONE,
  PLAYBACK_FRAME_HEADER_BYTES
} from '@shared/playback-frame'
import { FrameRingReader, isFrameRingBuffer } from '@shared/frame-ring'
import { PlayoutBuffer } from '@shared/playout-buffer'
import {
  MAX_REPORTED_SPEAKERS,
  playoutReportBytes,
  writePlayoutReport,
  type SpeakerPlayout
} from '@shared/playout-report'
import { PLAYBACK_PROCESSOR, type PlaybackActivity, type PlaybackControl } from './worklet-messages'

const QUANTUM = 128
/** The largest burst the device took is remembered this long (ms). */
const BURST_MEMORY_MS = 5000
/**
 * The device's bursts are watched over 16 quanta in every 512 (about 1.4 s at 48 kHz): reading
 * the wall clock makes a heap number each time, so it is not read on every quantum.
 */
const BURST_WATCH_EVERY = 512
const BURST_WATCH_QUANTA = 16
/** While anyone plays, main hears how the queues stand every 50 ms; otherwise every quarter second. */
const REPORT_PLAYING_S = 0.05
const REPORT_IDLE_S = 0.25
/**
 * After this long with nothing to play the page is told it may suspend the context. Longer than
 * the playout's underrun window (1 s): its audio clock stands still while suspended.
 */
const QUIET_AFTER_S = 2

interface Speaker {
  low: number
  high: number
  playout: PlayoutBuffer
  /** From the rate main decodes at to this context's (the device's): the path's one resample. */
  resampler: CubicResampler | null
  fromRate: number
  /** Main to here, smoothed (ms). */
  transitMs: number
}

/**
 * Plays every speaker in the room at the device's own rate: one playout buffer per speaker (the
 * queue the whole path steers by), fed by frames from main and resampled once on the way in,
 * mixed with each member's gain. It tells main how each queue stands along the frames' own
 * route. process() allocates nothing.
 */
class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly speakers: Speaker[] = []
  /** Per-member gains by id halves (the page names members in decimal; converted once, here). */
  private readonly gains: Array<{ low: number; high: number; gain: number }> = []
  private readonly frame = new PlaybackFrameView()
  private readonly incoming = new Int16Array(MAX_PLAYBACK_FRAME_SAMPLES)
  private readonly resampled = new Int16Array(Math.ceil(MAX_PLAYBACK_FRAME_SAMPLES * (sampleRate / 8000)) + 64)
  private mix = new Float32Array(QUANTUM)
  private stream: MessagePort | null = null
  /** Frames from the socket's worker, read at each quantum (when the page is cross-origin isolated). */
  private ring: FrameRingReader | null = null
  /** One frame read out of the ring at a time, and a view over it made once. */
  private readonly ringFrame = new Uint8Array(MAX_PLAYBACK_FRAME_BYTES)
  private readonly ringView = new DataView(this.ringFrame.buffer)
  private refused = 0
  private outputLatencyMs = 0
  private quanta = 0
  private rendered = 0
  /** Samples rendered since anything played; and whether the page was told it is quiet. */
  private quietSamples = 0
  private toldQuiet = false
  private readonly quiet: { type: 'quiet'; framesWritten: number } = { type: 'quiet', framesWritten: 0 }
  private readonly wake: PlaybackActivity = { type: 'wake' }
  /** The device's callbacks: quanta rendered back to back (same wall-clock millisecond) are one burst. */
  private burstAt = 0
  private burstSamples = 0
  private largestBurst = QUANTUM
  private largestBurstAt = 0
  /** A report buffer per number of speakers, made once each: process() allocates nothing. */
  private readonly reports: DataView[] = []
  private readonly reportScratch: SpeakerPlayout = {
    speakerLow: 0,
    speakerHigh: 0,
    levelMs: 0,
    aheadMs: 0,
    transitMs: 0,
    targetMs: 0,
    jitterMs: 0,
    underruns: 0,
    cutMs: 0
  }
  private readonly describe: (index: number, out: SpeakerPlayout) => void

  constructor() {
    super()
    this.reports[0] = new DataView(new ArrayBuffer(playoutReportBytes(0)))
    this.describe = (index, out) => this.describeSpeaker(index, out)
    this.port.onmessage = (event: MessageEvent<PlaybackControl>) => {
      const message = event.data
      if (message.type === 'stream') {
        this.stream = message.port
        this.stream.onmessage = (frame) => {
          if (frame.data instanceof ArrayBuffer) this.onFrame(new DataView(frame.data), frame.data.byteLength)
          else this.refused++
        }
        this.ring = isFrameRingBuffer(message.ring) ? new FrameRingReader(message.ring) : null
      } else if (message.type === 'gain') {
        this.setGain(message.speaker, message.gain)
      } else if (message.type === 'output-latency') {
        this.outputLatencyMs = message.ms
      }
    }
  }

  private setGain(speaker: string, gain: number): void {
    if (!/^\d{1,20}$/.test(speaker) || !(gain >= 0 && gain <= 2)) return
    const id = BigInt(speaker)
    const low = Number(id & 0xffffffffn)
    const high = Number((id >> 32n) & 0xffffffffn)
    const entry = this.gains.find((g) => g.low === low && g.high === high)
    if (entry) entry.gain = gain
    else this.gains.push({ low, high, gain })
    const known = this.find(low, high)
    if (known) known.playout.gain = gain
  }

  private gainOf(low: number, high: number): number {
    for (const entry of this.gains) if (entry.low === low && entry.high === high) return entry.gain
    return 1
  }

  private onFrame(view: DataView, length: number): void {
    const frame = this.frame
    if (!parsePlaybackFrameIn(view, length, frame)) {
      this.refused++
      return
    }
    let speaker = this.find(frame.speakerLow, frame.speakerHigh)
    if (frame.kind === PLAYBACK_FRAME_GONE) {
      if (speaker) this.speakers.splice(this.speakers.indexOf(speaker), 1)
      return
    }
    if (frame.kind === PLAYBACK_FRAME_END) {
      speaker?.playout.endOfStream()
      return
    }
    if (frame.kind !== PLAYBACK_FRAME_AUDIO) return
    if (this.toldQuiet) {
      // The context may be suspended: the page resumes it, and the audio waits in the queue.
      this.toldQuiet = false
      this.quietSamples = 0
      this.port.postMessage(this.wake)
    }
    if (!speaker) {
      speaker = {
        low: frame.speakerLow,
        high: frame.speakerHigh,
        playout: new PlayoutBuffer(sampleRate, { blockSamples: 2 * this.largestBurst }),
        resampler: null,
        fromRate: sampleRate,
        transitMs: 0
      }
      speaker.playout.gain = this.gainOf(frame.speakerLow, frame.speakerHigh)
      this.speakers.push(speaker)
      const count = Math.min(this.speakers.length, MAX_REPORTED_SPEAKERS)
      this.reports[count] ??= new DataView(new ArrayBuffer(playoutReportBytes(count)))
    }
    if (frame.sampleRate !== speaker.fromRate) {
      speaker.fromRate = frame.sampleRate
      speaker.resampler = frame.sampleRate === sampleRate ? null : new CubicResampler(frame.sampleRate, sampleRate)
    }
    // Main's clock and this one are the same machine's wall clock.
    const transit = Date.now() - frame.sentAt
    speaker.transitMs += (Math.max(0, transit) - speaker.transitMs) / 8
    const samples = this.incoming
    for (let i = 0; i < frame.count; i++) samples[i] = view.getInt16(PLAYBACK_FRAME_HEADER_BYTES + i * 2, true)
    // A pause sent as silence that went by while this speaker's queue was empty: off the front
    // before resampling (which would smear its edge), and the next audio starts afresh.
    let start = 0
    if (speaker.playout.state === 'idle') {
      while (start < frame.count && samples[start] === 0) start++
      if (start === frame.count) return
      speaker.resampler?.reset()
    }
    // Wall-clock time: the audio clock moves in bursts, a device callback at a time.
    const now = this.clockMs()
    const afterPause = start > 0
    if (!speaker.resampler) {
      speaker.playout.push(samples, start, frame.count - start, now, afterPause)
    } else {
      const produced = speaker.resampler.process(samples, start, frame.count - start, this.resampled, 0)
      speaker.playout.push(this.resampled, 0, produced, now, afterPause)
    }
  }

  /**
   * The playout's clock: the audio clock in whole ms. An integer that small is passed between
   * functions unboxed, where Date.now()'s float would be a new heap number on every call. It moves
   * a device callback at a time, which the playout's windows (hundreds of ms) do not mind.
   */
  private clockMs(): number {
    return Math.floor((currentFrame * 1000) / sampleRate)
  }

  private find(low: number, high: number): Speaker | undefined {
    for (let i = 0; i < this.speakers.length; i++) {
      const speaker = this.speakers[i]!
      if (speaker.low === low && speaker.high === high) return speaker
    }
    return undefined
  }

  /** What the socket's worker put in the ring since the last quantum. */
  private drainRing(ring: FrameRingReader): void {
    for (let length = ring.read(this.ringFrame); length !== 0; length = ring.read(this.ringFrame)) {
      if (length > 0) this.onFrame(this.ringView, length)
      else this.refused++
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.ring) this.drainRing(this.ring)
    const channels = outputs[0]!
    const first = channels[0]
    if (!first) return true
    const count = first.length
    if (this.mix.length < count) this.mix = new Float32Array(count)
    const mix = this.mix
    mix.fill(0, 0, count)
    const now = this.clockMs()
    if (this.rendered++ % BURST_WATCH_EVERY < BURST_WATCH_QUANTA) this.noteBurst(Date.now(), count)
    let playing = false
    for (let i = 0; i < this.speakers.length; i++) {
      const playout = this.speakers[i]!.playout
      playout.pull(mix, 0, count, now)
      if (playout.state === 'playing') playing = true
    }
    for (let i = 0; i < count; i++) {
      const value = mix[i]! / 32768
      first[i] = value > 1 ? 1 : value < -1 ? -1 : value
    }
    for (let c = 1; c < channels.length; c++) channels[c]!.set(first)
    if (playing) {
      this.quietSamples = 0
    } else if (!this.toldQuiet && (this.quietSamples += count) >= sampleRate * QUIET_AFTER_S) {
      this.toldQuiet = true
      // The socket's worker wakes the page when the next frame comes (this thread reads the ring
      // only while it renders); without a ring, onFrame does.
      this.ring?.rest()
      this.quiet.framesWritten = this.ring?.framesWritten ?? 0
      this.port.postMessage(this.quiet)
    }
    const every = Math.max(1, Math.round((sampleRate * (playing ? REPORT_PLAYING_S : REPORT_IDLE_S)) / count))
    if (++this.quanta >= every && this.stream) {
      this.quanta = 0
      const speakers = Math.min(this.speakers.length, MAX_REPORTED_SPEAKERS)
      const report = this.reports[speakers]
      if (report) {
        writePlayoutReport(report, this.outputLatencyMs, this.refused, speakers, this.describe, this.reportScratch)
        // A copy goes (structured clone); this buffer is written again next time.
        this.stream.postMessage(report.buffer)
      }
    }
    return true
  }

  /**
   * How much the device takes per callback. The queue must cover twice that, not one quantum: a
   * callback takes a burst at once, and a frame that arrives while one runs is only handled after
   * it (this thread reads its port between callbacks), so it may find a burst already gone.
   */
  private noteBurst(now: number, count: number): void {
    if (now - this.burstAt <= 1) {
      this.burstSamples += count
    } else {
      this.burstAt = now
      this.burstSamples = count
    }
    if (this.burstSamples >= this.largestBurst || now - this.largestBurstAt > BURST_MEMORY_MS) {
      if (this.burstSamples !== this.largestBurst) {
        for (let i = 0; i < this.speakers.length; i++) this.speakers[i]!.playout.setBlockSamples(2 * this.burstSamples)
      }
      this.largestBurst = this.burstSamples
      this.largestBurstAt = now
    }
  }

  private describeSpeaker(index: number, out: SpeakerPlayout): void {
    const speaker = this.speakers[index]!
    const playout = speaker.playout
    const now = this.clockMs()
    out.speakerLow = speaker.low
    out.speakerHigh = speaker.high
    out.levelMs = playout.bufferedMs
    out.aheadMs = playout.queueAheadMs
    out.transitMs = speaker.transitMs
    out.targetMs = playout.targetMs(now)
    out.jitterMs = playout.jitterMs
    out.underruns = playout.underruns
    out.cutMs = (playout.cutSamples * 1000) / sampleRate
  }
}

registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor)
