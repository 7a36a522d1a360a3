import type { TransmitState } from '../../../shared/contract'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { EVoiceResult } from '../steam-voice/voice-result'
import { LoopFaults } from '../logging/loop-faults'
import { silentLogger } from '../logging/logger'
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
/**
 * The tail after release is a few hundred ms of Steam's buffer; one that has not ended by then
 * (Steam never says NotRecording, a packet that cannot be read) is ended here: release always
 * reaches idle.
 */
export const MAX_DRAIN_MS = 1500

/** Where captured packets go: the transport implements it. `packet` is only valid during the call. */
export interface OutgoingVoice {
  /**
   * `capturedAt`: when the packet's first sample was captured (ms, performance.now()). False when
   * it could not go out (the transport counts why); true when sent, or there is nobody to send to.
   */
  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean
}

export interface VoicePumpOptions {
  voice: SteamVoice
  outgoing: OutgoingVoice
  scheduler?: Scheduler
  /** A packet went out (our own speaking indicator). */
  onSent?: (now: number) => void
  /** Talking, draining the tail, or idle again. */
  onTransmit?: (state: TransmitState) => void
  /** Where a throw from a poll is counted and logged (the pump goes on). */
  faults?: LoopFaults
}

export interface PumpStats {
  polls: number
  packetsSent: number
  bytesSent: number
  /** Packets the transport could not send (too big to split, no route): never counted as sent. */
  packetsDropped: number
  /** getVoice results that were not a packet while Steam said one was there (BufferTooSmall, corrupt, …). */
  unreadable: number
  /** Tails ended by MAX_DRAIN_MS rather than by Steam's NotRecording. */
  drainsCutShort: number
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
  readonly stats: PumpStats = {
    polls: 0,
    packetsSent: 0,
    bytesSent: 0,
    packetsDropped: 0,
    unreadable: 0,
    drainsCutShort: 0,
    framedToSentMs: 0
  }
  private readonly voice: SteamVoice
  private readonly scheduler: Scheduler
  private readonly pushed: boolean
  private readonly timer: FixedRateTimer
  private transmit: TransmitState = 'idle'
  private drainingSince = 0
  private readonly faults: LoopFaults

  constructor(private readonly options: VoicePumpOptions) {
    this.voice = options.voice
    this.scheduler = options.scheduler ?? realScheduler
    this.faults = options.faults ?? new LoopFaults(silentLogger)
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
      this.drainingSince = this.scheduler.now()
      this.setState('draining')
      this.voice.stopVoiceRecording()
    }
  }

  /** Ends transmitting at once, without the tail (a mic test ending: none of it may reach the room). */
  cutShort(): void {
    if (this.transmit === 'idle') return
    if (this.transmit === 'talking') this.voice.stopVoiceRecording()
    this.setState('idle')
  }

  stop(): void {
    this.timer.stop()
    if (this.transmit !== 'idle') this.voice.stopVoiceRecording()
    this.transmit = 'idle'
    if (this.pushed) this.voice.onVoiceAvailable = null
  }

  /** Takes every packet that is ready and sends it; a throw is counted and the pump goes on. */
  readonly poll = (): void => {
    if (this.transmit === 'idle') return
    this.stats.polls++
    try {
      this.read()
    } catch (error) {
      this.faults.record('voice pump', error)
    }
    if (this.transmit === 'draining' && this.scheduler.now() - this.drainingSince >= MAX_DRAIN_MS) {
      this.stats.drainsCutShort++
      this.setState('idle')
    }
  }

  private read(): void {
    const now = this.scheduler.now()
    for (let reads = 0; reads < MAX_READS_PER_POLL; reads++) {
      const available = this.voice.getAvailableVoice()
      if (available.result === EVoiceResult.NotRecording) {
        if (this.transmit === 'draining') this.setState('idle')
        return
      }
      if (available.result !== EVoiceResult.OK) return
      const captured = this.voice.getVoice()
      if (captured.result === EVoiceResult.NoData || (captured.result === EVoiceResult.OK && captured.written === 0))
        return
      if (captured.result !== EVoiceResult.OK) {
        this.stats.unreadable++
        return
      }
      const capturedAt = Number.isFinite(captured.capturedAt) ? captured.capturedAt! : now - STEAM_CAPTURE_AGE_MS
      if (!this.options.outgoing.sendVoice(captured.buffer, captured.written, capturedAt)) {
        this.stats.packetsDropped++
        continue
      }
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
