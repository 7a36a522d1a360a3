import type { CallStats, RoomState, VoiceStatus } from '../../../shared/contract'
import type { SampleRateSetting } from '../../../shared/settings-schema'
import type { KeyBindings } from '../input/global-keys-protocol'
import type { VoiceActivationSettings } from '../input/voice-activation'
import { SILENCE_DBFS } from '../audio/level'
import { AppMicrophone, type MicrophoneChoice } from '../capture/app-microphone'
import { MicrophoneIntake } from '../capture/microphone-intake'
import { rmsDbfs } from '../audio/level'
import { TalkInput } from '../input/talk-input'
import type { Logger } from '../logging/logger'
import { PlaybackPort, type PlaybackFrameListener } from '../playout/playback-port'
import type { RoomLink } from '../transport/room-link'
import type { SpeakingState } from '../speaker/speaking-tracker'
import type { EmbeddedSteamVoice } from '../steam-voice/embedded-steam-voice'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { Alarm, realScheduler, type Scheduler } from '../time/scheduler'
import { VoiceRoom } from './voice-room'

/** Meters refresh at 20 Hz: smooth to the eye, far under the 30 a second React may see. */
const LEVELS_INTERVAL_MS = 50

export interface VoiceCallEvents {
  activity(speaker: string, speaking: boolean, levelDbfs: number): void
  status(status: VoiceStatus): void
  roomChanged(state: RoomState): void
  levels(levels: Array<{ id: string; levelDbfs: number; speaking: boolean }>): void
}

export interface VoiceCallOptions {
  /** Steam's voice, or the embedded Steam-compatible one (LAN mode). */
  voice: SteamVoice
  embedded: EmbeddedSteamVoice | null
  self: { id: bigint; name: string }
  link: RoomLink
  sampleRate: SampleRateSetting
  releaseDelayMs: number
  bindings: KeyBindings
  /** Voice activation instead of (besides) push-to-talk, when set; LAN mode only. */
  voiceActivation: VoiceActivationSettings | null
  /** The built global key hook, or why there is none. */
  globalKeys: { script: string } | { disabled: string }
  logger: Logger
  events: VoiceCallEvents
  scheduler?: Scheduler
  onLocalSpeaking?: (speaking: boolean) => void
  /** LAN mode: main may capture the microphone itself (the host's --microphone; default off here). */
  appMicrophone?: boolean
}

/**
 * The app's voice: the room (pump, transport, speaker streams), what opens the microphone
 * (input/talk-input.ts), microphone frames from the page (capture/microphone-intake.ts), and every
 * speaker's audio to the page's playback worklet, whose reports come back here.
 */
export class VoiceCall {
  readonly room: VoiceRoom
  readonly playback: PlaybackPort
  private readonly input: TalkInput
  private readonly microphone: MicrophoneIntake
  /** Main's own microphone (LAN mode), when the settings allow it; else the page's. */
  private readonly appMicrophone: AppMicrophone | null
  /** Main's microphone's level while it is read, for our own meter. */
  private localLevelDbfs = SILENCE_DBFS
  private readonly scheduler: Scheduler
  private readonly levelsAlarm: Alarm
  private metersLive = false
  private readonly selfKey: string

  constructor(private readonly options: VoiceCallOptions) {
    const { events } = options
    this.scheduler = options.scheduler ?? realScheduler
    this.selfKey = options.self.id.toString()
    this.playback = new PlaybackPort(() => this.scheduler.now())
    this.levelsAlarm = new Alarm(this.scheduler, this.tickLevels)
    this.room = new VoiceRoom({
      transport: options.link.transport,
      voice: options.voice,
      sampleRate: options.sampleRate,
      logger: options.logger,
      scheduler: this.scheduler,
      localKey: this.selfKey,
      playout: (speaker) => this.playback.open(speaker),
      onActivity: (speaker, activity) => this.onActivity(speaker, activity),
      onTransmit: () => this.publishStatus(),
      onMembersChanged: () => events.roomChanged(this.state())
    })
    this.input = new TalkInput({
      scheduler: this.scheduler,
      releaseDelayMs: options.releaseDelayMs,
      bindings: options.bindings,
      voiceActivation: options.voiceActivation,
      globalKeys: options.globalKeys,
      logger: options.logger,
      changed: () => {
        this.playback.silenced = this.input.deafened
        this.room.setTalking(this.input.talking)
        this.publishStatus()
      }
    })
    this.microphone = new MicrophoneIntake(options.embedded, this.scheduler, this.input)
    this.appMicrophone = options.embedded
      ? new AppMicrophone({
          enabled: options.appMicrophone ?? false,
          logger: options.logger,
          onSamples: (samples, count, rate) => {
            this.localLevelDbfs = rmsDbfs(samples, 0, count)
            this.microphone.pushSamples(samples, count, rate)
          },
          changed: () => this.publishStatus()
        })
      : null
  }

  /** Where the microphone is captured follows these settings (LAN mode; Steam records its own). */
  setMicrophoneChoice(choice: MicrophoneChoice): Promise<void> {
    return this.appMicrophone?.apply(choice) ?? Promise.resolve()
  }

  /** A capture frame from the page's worklet (binary); false when malformed (dropped, counted). */
  pushCapture(bytes: ArrayBuffer | Uint8Array): boolean {
    return this.microphone.push(bytes)
  }

  /** The window's push-to-talk (key or button); the release delay applies. */
  setTalking(talking: boolean): VoiceStatus['transmit'] {
    this.input.setWindowTalking(talking)
    return this.room.pump.transmitState
  }

  setSampleRate(setting: SampleRateSetting): void {
    this.room.setSampleRate(setting)
    this.publishStatus()
  }

  setReleaseDelay(ms: number): void {
    this.input.setReleaseDelay(ms)
  }

  setVoiceActivation(settings: VoiceActivationSettings | null): void {
    this.input.setVoiceActivation(settings)
  }

  setBindings(bindings: KeyBindings): void {
    this.input.setBindings(bindings)
  }

  setMuted(muted: boolean): VoiceStatus {
    this.input.setMuted(muted)
    return this.status()
  }

  /** Deafen: nobody is heard, and nobody hears us. */
  setDeafened(deafened: boolean): VoiceStatus {
    this.input.setDeafened(deafened)
    return this.status()
  }

  /** Mic test on: the microphone is open and heard only by us. */
  setMicTest(on: boolean): VoiceStatus {
    this.room.setMicTest(on, this.options.self.id)
    this.input.setMicTest(on)
    return this.status()
  }

  /** Every speaker's audio goes to `listener` as playback frames until the returned function is called. */
  addPlaybackListener(listener: PlaybackFrameListener): () => void {
    return this.playback.addListener(listener)
  }

  /** A report from a page's playback worklet (binary); false when malformed (dropped, counted). */
  playoutReport(bytes: ArrayBuffer | Uint8Array): boolean {
    return this.playback.report(bytes)
  }

  status(): VoiceStatus {
    const { packetsSent, bytesSent } = this.room.pump.stats
    return {
      backend: this.options.embedded ? 'embedded' : 'steam',
      transmit: this.room.pump.transmitState,
      muted: this.input.muted,
      deafened: this.input.deafened,
      micTest: this.input.micTest,
      globalKeys: this.input.globalKeys,
      sampleRate: this.room.sampleRate,
      packetsSent,
      bytesSent,
      framesGated: this.options.embedded?.captureStats.gated ?? 0,
      captureRefused: this.microphone.refused,
      microphone: this.appMicrophone ? this.appMicrophone.owner : 'steam'
    }
  }

  state(): RoomState {
    const { link, self } = this.options
    return {
      mode: link.mode,
      self: { id: self.id.toString(), name: self.name },
      joinCode: link.joinCode(),
      connection: { ...link.transport.connection },
      members: [...link.transport.members.values()].map((member) => {
        const auth = member.auth ?? 'verifying'
        return {
          id: member.id.toString(),
          name: member.name,
          auth: typeof auth === 'string' ? auth : 'rejected',
          authDetail: typeof auth === 'string' ? null : auth.rejected,
          connection: member.connection,
          rttMs: member.rttMs
        }
      })
    }
  }

  stats(): CallStats {
    const peer = this.room.stats()
    const rtt = new Map(peer.members.map((member) => [member.id, member.rttMs]))
    const now = this.scheduler.now()
    return {
      speakers: [...this.room.speakers].map((stream) => {
        const { stats, playout } = stream
        const expected = stats.received - stats.duplicate + stats.lost
        return {
          id: stream.key,
          rttMs: rtt.get(stream.key) ?? null,
          latencyMs: stream.latency().p50,
          lossPercent: expected > 0 ? Math.round((stats.lost / expected) * 1000) / 10 : 0,
          queuedMs: Math.round(playout.levelMs(now)),
          targetMs: playout.figures.targetMs,
          jitterMs: playout.figures.jitterMs,
          underruns: playout.figures.underruns,
          received: stats.received,
          concealed: stats.concealed,
          late: stats.late
        }
      }),
      dropped: { malformed: peer.dropped.malformed, unauthenticated: peer.dropped.unauthenticated },
      playback: {
        outputLatencyMs: Math.round(this.playback.outputLatencyMs * 10) / 10,
        refused: this.playback.refusedByWorklet
      },
      cpuPercent: peer.cpuPercent
    }
  }

  async close(): Promise<void> {
    this.levelsAlarm.cancel()
    this.appMicrophone?.close()
    this.input.close()
    this.room.stop()
    await this.options.link.close()
  }

  private onActivity(speaker: string, activity: SpeakingState): void {
    this.options.events.activity(speaker, activity.speaking, activity.levelDbfs)
    if (speaker === this.selfKey) this.options.onLocalSpeaking?.(activity.speaking)
    else this.levelsAlarm.wakeAt(this.scheduler.now())
  }

  private publishStatus(): void {
    const status = this.status()
    // Main's microphone is read only while its frames are wanted.
    const reading = status.transmit !== 'idle' || this.input.listening || this.input.micTest
    if (this.appMicrophone && reading !== this.appMicrophoneReading) {
      this.appMicrophoneReading = reading
      this.appMicrophone.setReading(reading)
      if (!reading) this.localLevelDbfs = SILENCE_DBFS
      this.levelsAlarm.wakeAt(this.scheduler.now())
    }
    this.options.events.status(status)
  }

  private appMicrophoneReading = false

  /** Meters while anyone is audible, and once more after, so they fall back to zero; then nothing. */
  private readonly tickLevels = (): void => {
    const levels: Array<{ id: string; levelDbfs: number; speaking: boolean }> = []
    let audible = false
    for (const stream of this.room.speakers) {
      const { levelDbfs, speaking } = stream.activity
      if (levelDbfs > SILENCE_DBFS) audible = true
      levels.push({ id: stream.key, levelDbfs: Math.round(levelDbfs * 10) / 10, speaking })
    }
    // Our own meter, while main reads its microphone (the page's capture measures its own).
    if (this.appMicrophone?.owner === 'app' && (this.appMicrophoneReading || this.metersLive)) {
      if (this.appMicrophoneReading) audible = true
      const level = Math.max(SILENCE_DBFS, this.localLevelDbfs)
      levels.push({ id: this.selfKey, levelDbfs: Math.round(level * 10) / 10, speaking: this.appMicrophoneReading })
    }
    if (audible || this.metersLive) this.options.events.levels(levels)
    this.metersLive = audible
    if (audible) this.levelsAlarm.wakeAt(this.scheduler.now() + LEVELS_INTERVAL_MS)
  }
}
