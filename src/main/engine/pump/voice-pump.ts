import type { SampleRateSetting } from '../../../shared/settings-schema'
import { rmsDbfs } from '../audio/level'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { EVoiceResult } from '../steam-voice/voice-result'
import { realScheduler, FixedRateTimer, type Scheduler } from '../time/scheduler'
import { ActivityTracker, type VoiceActivity } from '../speaker/voice-activity'

export const DEFAULT_PUMP_INTERVAL_MS = 10
export const MIN_PUMP_INTERVAL_MS = 5
export const MAX_PUMP_INTERVAL_MS = 20
/** getVoice calls per tick at most, so a backlog cannot monopolise the event loop. */
const MAX_READS_PER_TICK = 8

/** Where captured packets go: the network layer implements it. `packet` is only valid during the call. */
export interface OutgoingVoice {
  sendVoice(packet: Uint8Array, length: number): void
}

export interface VoiceEngineListener {
  /** Decoded PCM for one speaker; `samples` is reused, copy what you keep. */
  pcm?(speaker: string, samples: Int16Array, count: number, sampleRate: number): void
  /** A speaker started or stopped speaking (the local user is `localSpeaker`). */
  activity?(speaker: string, activity: VoiceActivity): void
}

export interface VoiceEngineOptions {
  voice: SteamVoice
  outgoing: OutgoingVoice
  sampleRate: SampleRateSetting
  intervalMs?: number
  scheduler?: Scheduler
  listener?: VoiceEngineListener
  /** The id the local user's activity is reported under. */
  localSpeaker?: string
}

export type TransmitState = 'idle' | 'talking' | 'draining'

export interface VoiceEngineStats {
  ticks: number
  packetsSent: number
  bytesSent: number
  packetsDecoded: number
  packetsCorrupt: number
}

/**
 * The voice pump: while push-to-talk is held, and through the tail after it, it polls
 * getAvailableVoice/getVoice on a fixed schedule and hands each packet to the network; it
 * decodes what arrives at the chosen rate and reports PCM and voice activity per speaker.
 */
export class VoiceEngine {
  readonly stats: VoiceEngineStats = { ticks: 0, packetsSent: 0, bytesSent: 0, packetsDecoded: 0, packetsCorrupt: 0 }
  private readonly voice: SteamVoice
  private readonly outgoing: OutgoingVoice
  private readonly scheduler: Scheduler
  private readonly timer: FixedRateTimer
  private readonly listener: VoiceEngineListener
  private readonly localSpeaker: string
  private readonly local = new ActivityTracker()
  private readonly speakers = new Map<string, ActivityTracker>()
  private transmit: TransmitState = 'idle'
  private rate: number
  private pcmView: Int16Array = new Int16Array(0)

  constructor(options: VoiceEngineOptions) {
    this.voice = options.voice
    this.outgoing = options.outgoing
    this.scheduler = options.scheduler ?? realScheduler
    this.listener = options.listener ?? {}
    this.localSpeaker = options.localSpeaker ?? 'local'
    this.rate = this.resolveRate(options.sampleRate)
    this.timer = new FixedRateTimer(
      this.scheduler,
      checkInterval(options.intervalMs ?? DEFAULT_PUMP_INTERVAL_MS),
      this.tick
    )
  }

  /** The rate received voice is decoded at now. */
  get sampleRate(): number {
    return this.rate
  }

  get transmitState(): TransmitState {
    return this.transmit
  }

  start(): void {
    this.timer.start()
  }

  stop(): void {
    this.timer.stop()
    if (this.transmit !== 'idle') this.voice.stopVoiceRecording()
    this.transmit = 'idle'
  }

  /** Push-to-talk pressed or released. Releasing keeps polling until Steam says NotRecording. */
  setTalking(talking: boolean): void {
    if (talking) {
      if (this.transmit !== 'talking') this.voice.startVoiceRecording()
      this.transmit = 'talking'
    } else if (this.transmit === 'talking') {
      this.voice.stopVoiceRecording()
      this.transmit = 'draining'
    }
  }

  /** Takes effect with the next packet decoded: no restart. */
  setSampleRate(setting: SampleRateSetting): void {
    this.rate = this.resolveRate(setting)
  }

  setInterval(intervalMs: number): void {
    this.timer.setInterval(checkInterval(intervalMs))
  }

  /** A packet from a peer the network has already authenticated as `speaker`. */
  receive(speaker: string, packet: Uint8Array, length = packet.length): void {
    const result = this.voice.decompressVoice(packet, this.rate, length)
    if (result.result !== EVoiceResult.OK) {
      if (result.result === EVoiceResult.DataCorrupted) this.stats.packetsCorrupt++
      return
    }
    this.stats.packetsDecoded++
    const bytes = result.uncompressed
    if (this.pcmView.buffer !== bytes.buffer)
      this.pcmView = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1)
    const count = result.size >> 1
    let tracker = this.speakers.get(speaker)
    if (!tracker) {
      tracker = new ActivityTracker()
      this.speakers.set(speaker, tracker)
    }
    if (tracker.heard(rmsDbfs(this.pcmView, 0, count), this.scheduler.now())) this.listener.activity?.(speaker, tracker)
    this.listener.pcm?.(speaker, this.pcmView, count, this.rate)
  }

  /** Each remote speaker's current activity (for level meters). */
  forEachActivity(visit: (speaker: string, activity: VoiceActivity) => void): void {
    for (const [speaker, tracker] of this.speakers) visit(speaker, tracker)
  }

  /** Forgets a speaker who left. */
  removeSpeaker(speaker: string): void {
    const tracker = this.speakers.get(speaker)
    this.speakers.delete(speaker)
    if (tracker?.speaking) {
      tracker.speaking = false
      this.listener.activity?.(speaker, tracker)
    }
  }

  private readonly tick = (): void => {
    this.stats.ticks++
    const now = this.scheduler.now()
    if (this.transmit !== 'idle') this.pump(now)
    if (this.local.update(now)) this.listener.activity?.(this.localSpeaker, this.local)
    for (const [speaker, tracker] of this.speakers) {
      if (tracker.update(now)) this.listener.activity?.(speaker, tracker)
    }
  }

  private pump(now: number): void {
    for (let reads = 0; reads < MAX_READS_PER_TICK; reads++) {
      const available = this.voice.getAvailableVoice()
      if (available.result === EVoiceResult.NotRecording) {
        this.transmit = this.transmit === 'draining' ? 'idle' : this.transmit
        return
      }
      if (available.result !== EVoiceResult.OK) return
      const captured = this.voice.getVoice()
      if (captured.result !== EVoiceResult.OK || captured.written === 0) return
      this.outgoing.sendVoice(captured.buffer, captured.written)
      this.stats.packetsSent++
      this.stats.bytesSent += captured.written
      // We hear ourselves only as "a packet went out"; the level meter for the mic is the renderer's.
      if (this.local.heard(0, now)) this.listener.activity?.(this.localSpeaker, this.local)
    }
  }

  private resolveRate(setting: SampleRateSetting): number {
    return setting === 'optimal' ? this.voice.getVoiceOptimalSampleRate() : setting
  }
}

function checkInterval(intervalMs: number): number {
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_PUMP_INTERVAL_MS || intervalMs > MAX_PUMP_INTERVAL_MS) {
    throw new RangeError(
      `the pump interval must be ${MIN_PUMP_INTERVAL_MS} to ${MAX_PUMP_INTERVAL_MS} ms, got ${intervalMs}`
    )
  }
  return intervalMs
}
