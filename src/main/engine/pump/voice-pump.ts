import type { TransmitState } from '../../../shared/contract'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { EVoiceResult } from '../steam-voice/voice-result'
import { FixedRateTimer, realScheduler, type Scheduler } from '../time/scheduler'

/** Steam's client is polled this often while the microphone is open (it has no "ready" signal). */
export const STEAM_POLL_INTERVAL_MS = 5
/** While the tail drains, a quiet microphone is checked this often (so the tail can time out). */
const TAIL_CHECK_MS = 20
/** getVoice calls per poll at most, so a backlog cannot monopolise the event loop. */
const MAX_READS_PER_POLL = 8
const FRAME_MS = 20
/** Steam gives no capture time; a packet's first sample is about a frame older than the packet. */
const STEAM_CAPTURE_AGE_MS = FRAME_MS

/** Where captured packets go: the transport implements it. `packet` is only valid during the call. */
export interface OutgoingVoice {
  /** `capturedAt`: when the packet's first sample was captured (ms, performance.now()). */
  sendVoice(packet: Uint8Array, length: number, capturedAt: number): void
}

export interface VoicePumpOptions {
  voice: SteamVoice
  outgoing: OutgoingVoice
  scheduler?: Scheduler
  /** A packet went out (our own speaking indicator). */
  onSent?: (now: number) => void
  /** Talking, draining the tail, or idle again. */
  onTransmit?: (state: TransmitState) => void
}

export interface PumpStats {
  polls: number
  packetsSent: number
  bytesSent: number
  /** Summed over packets: from the end of a packet's first frame to its sending (encoding, waiting). */
  framedToSentMs: number
}

/**
 * The voice pump: while push-to-talk is held, and through the tail after it, it takes packets
 * from Steam Voice and hands them to the network. The embedded backend says the moment a frame
 * is encoded, so in LAN mode a packet leaves as soon as 20 ms of capture exist; Steam's client is
 * polled every 5 ms. Nothing runs while the microphone is closed.
 */
export class VoicePump {
  readonly stats: PumpStats = { polls: 0, packetsSent: 0, bytesSent: 0, framedToSentMs: 0 }
  private readonly voice: SteamVoice
  private readonly scheduler: Scheduler
  private readonly pushed: boolean
  private readonly timer: FixedRateTimer
  private transmit: TransmitState = 'idle'

  constructor(private readonly options: VoicePumpOptions) {
    this.voice = options.voice
    this.scheduler = options.scheduler ?? realScheduler
    this.pushed = 'onVoiceAvailable' in this.voice
    if (this.pushed) this.voice.onVoiceAvailable = this.poll
    this.timer = new FixedRateTimer(this.scheduler, this.pushed ? TAIL_CHECK_MS : STEAM_POLL_INTERVAL_MS, this.poll)
  }

  get transmitState(): TransmitState {
    return this.transmit
  }

  /** Push-to-talk pressed or released. Releasing keeps reading until Steam says NotRecording. */
  setTalking(talking: boolean): void {
    if (talking) {
      if (this.transmit !== 'talking') this.voice.startVoiceRecording()
      this.setState('talking')
    } else if (this.transmit === 'talking') {
      this.voice.stopVoiceRecording()
      this.setState('draining')
    }
  }

  stop(): void {
    this.timer.stop()
    if (this.transmit !== 'idle') this.voice.stopVoiceRecording()
    this.transmit = 'idle'
    if (this.pushed) this.voice.onVoiceAvailable = null
  }

  /** Takes every packet that is ready and sends it. */
  readonly poll = (): void => {
    if (this.transmit === 'idle') return
    this.stats.polls++
    const now = this.scheduler.now()
    for (let reads = 0; reads < MAX_READS_PER_POLL; reads++) {
      const available = this.voice.getAvailableVoice()
      if (available.result === EVoiceResult.NotRecording) {
        if (this.transmit === 'draining') this.setState('idle')
        return
      }
      if (available.result !== EVoiceResult.OK) return
      const captured = this.voice.getVoice()
      if (captured.result !== EVoiceResult.OK || captured.written === 0) return
      const capturedAt = Number.isFinite(captured.capturedAt) ? captured.capturedAt! : now - STEAM_CAPTURE_AGE_MS
      this.options.outgoing.sendVoice(captured.buffer, captured.written, capturedAt)
      this.stats.packetsSent++
      this.stats.bytesSent += captured.written
      this.stats.framedToSentMs += now - capturedAt - FRAME_MS
      this.options.onSent?.(now)
    }
  }

  private setState(state: TransmitState): void {
    if (state === this.transmit) return
    this.transmit = state
    // Steam needs polling whenever the microphone is open; the embedded backend only to time out a tail.
    const poll = state !== 'idle' && (!this.pushed || state === 'draining')
    if (poll) this.timer.start()
    else this.timer.stop()
    this.options.onTransmit?.(state)
  }
}
