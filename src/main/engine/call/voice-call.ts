import type { GlobalKeysStatus, RoomState, RoomStats, VoiceStatus } from '../../../shared/contract'
import { decodeCaptureFrame } from '../../../shared/capture-frame'
import { encodePlaybackFrame, PLAYBACK_FRAME_AUDIO, PLAYBACK_FRAME_GONE } from '../../../shared/playback-frame'
import type { PushToTalkBinding, SampleRateSetting } from '../../../shared/settings-schema'
import { GlobalKeys } from '../input/global-keys'
import { PushToTalk } from '../input/push-to-talk'
import type { Logger } from '../logging/logger'
import { LOCAL_SPEAKER, VoiceRoom } from './voice-room'
import type { RoomLink } from '../room/room-link'
import { SILENCE_DBFS } from '../audio/level'
import { PushedPcmSource } from '../capture/pushed-pcm-source'
import { realScheduler, type Scheduler } from '../time/scheduler'
import type { TransmitState } from '../pump/voice-pump'
import type { EmbeddedSteamVoice } from '../steam-voice/embedded-steam-voice'
import type { SteamVoice } from '../steam-voice/steam-voice'

/** Meters refresh at 20 Hz: smooth to the eye, far under the 30 a second React may see. */
const LEVELS_INTERVAL_MS = 50

export interface VoiceServiceEvents {
  activity(speaker: string, speaking: boolean, levelDbfs: number): void
  status(status: VoiceStatus): void
  roomChanged(state: RoomState): void
  levels(levels: Array<{ id: string; levelDbfs: number; speaking: boolean }>): void
}

export interface VoiceServiceOptions {
  /** Steam's voice, or the embedded Steam-compatible one (LAN mode). */
  voice: SteamVoice
  embedded: EmbeddedSteamVoice | null
  self: { id: bigint; name: string }
  link: RoomLink
  sampleRate: SampleRateSetting
  releaseDelayMs: number
  binding: PushToTalkBinding
  /** The built global key hook, or why there is none. */
  globalKeys: { script: string } | { disabled: string }
  logger: Logger
  events: VoiceServiceEvents
  scheduler?: Scheduler
  onLocalSpeaking?: (speaking: boolean) => void
}

export type PlaybackSink = (frame: ArrayBuffer) => void

/**
 * The app's voice: the room (pump, transport, receive path), push-to-talk from the window and
 * the global hook, microphone frames from the renderer, and decoded PCM out to the playback
 * worklet(s) as binary frames.
 */
export class VoiceService {
  readonly room: VoiceRoom
  private source: PushedPcmSource | null = null
  private readonly ptt: PushToTalk
  private readonly keys: GlobalKeys | null
  private globalKeysStatus: GlobalKeysStatus
  private readonly sinks = new Set<PlaybackSink>()
  private readonly scheduler: Scheduler
  private levelsTimer: unknown = null
  private lastTransmit: TransmitState = 'idle'
  private metersLive = false
  private readonly selfKey: string
  private captureRefused = 0

  constructor(private readonly options: VoiceServiceOptions) {
    const { events } = options
    this.scheduler = options.scheduler ?? realScheduler
    this.selfKey = options.self.id.toString()
    this.room = new VoiceRoom({
      transport: options.link.transport,
      voice: options.voice,
      sampleRate: options.sampleRate,
      logger: options.logger,
      scheduler: this.scheduler,
      onLocalSpeaking: options.onLocalSpeaking,
      listener: {
        activity: (speaker, activity) =>
          events.activity(speaker === LOCAL_SPEAKER ? this.selfKey : speaker, activity.speaking, activity.levelDbfs)
      },
      onPlayback: this.onPlayback,
      onMembersChanged: () => events.roomChanged(this.state())
    })
    this.ptt = new PushToTalk(this.scheduler, options.releaseDelayMs, (talking) => {
      this.room.setTalking(talking)
      this.publishStatus()
    })
    if ('script' in options.globalKeys) {
      this.globalKeysStatus = { active: false, detail: 'starting the global key hook' }
      this.keys = GlobalKeys.start({
        script: options.globalKeys.script,
        binding: options.binding,
        logger: options.logger,
        onDown: () => this.ptt.press('global'),
        onUp: () => this.ptt.release('global'),
        onStatus: (status) => {
          this.globalKeysStatus = status
          this.publishStatus()
        }
      })
    } else {
      this.keys = null
      this.globalKeysStatus = GlobalKeys.disabled(options.globalKeys.disabled)
    }
    this.room.start()
    this.tickLevels()
  }

  /**
   * A capture frame from the renderer's worklet (binary, see capture-frame.ts). A malformed one
   * is dropped and counted. With Steam, the client has its own microphone and frames are ignored.
   */
  pushCapture(bytes: ArrayBuffer | Uint8Array): boolean {
    const frame = decodeCaptureFrame(bytes)
    if (!frame) {
      this.captureRefused++
      return false
    }
    this.pushMicrophone(frame.sampleRate, frame.samples)
    return true
  }

  private pushMicrophone(sampleRate: number, samples: Int16Array): void {
    const embedded = this.options.embedded
    if (!embedded) return
    if (this.source?.sampleRate !== sampleRate) {
      this.source = new PushedPcmSource(sampleRate)
      embedded.setMicrophone(this.source)
    }
    this.source.push(samples)
  }

  /** The window's push-to-talk (key or button); the release delay applies. */
  setTalking(talking: boolean): TransmitState {
    if (talking) this.ptt.press('window')
    else this.ptt.release('window')
    return this.room.engine.transmitState
  }

  setSampleRate(setting: SampleRateSetting): void {
    this.room.setSampleRate(setting)
    this.publishStatus()
  }

  setReleaseDelay(ms: number): void {
    this.ptt.setReleaseDelay(ms)
  }

  setBinding(binding: PushToTalkBinding): void {
    this.keys?.rebind(binding)
  }

  /** Decoded PCM goes to every sink as binary frames until the returned function is called. */
  addPlaybackSink(sink: PlaybackSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  status(): VoiceStatus {
    const { packetsSent, bytesSent } = this.room.engine.stats
    return {
      backend: this.options.embedded ? 'embedded' : 'steam',
      transmit: this.room.engine.transmitState,
      globalKeys: this.globalKeysStatus,
      sampleRate: this.room.sampleRate,
      packetsSent,
      bytesSent,
      framesGated: this.options.embedded?.captureStats.gated ?? 0,
      captureRefused: this.captureRefused
    }
  }

  state(): RoomState {
    const { link, self } = this.options
    return {
      mode: link.mode,
      self: { id: self.id.toString(), name: self.name },
      joinCode: link.joinCode(),
      members: [...link.transport.members.values()].map((member) => {
        const auth = member.auth ?? 'verifying'
        return {
          id: member.id.toString(),
          name: member.name,
          auth: typeof auth === 'string' ? auth : 'rejected',
          authDetail: typeof auth === 'string' ? null : auth.rejected,
          rttMs: member.rttMs
        }
      })
    }
  }

  stats(): RoomStats {
    const room = this.room.stats()
    const rtt = new Map(room.members.map((member) => [member.id, member.rttMs]))
    return {
      members: this.room.playoutStats().map((speaker) => {
        const id = speaker.id.toString()
        const rttMs = rtt.get(id) ?? null
        const expected = speaker.received + speaker.lost
        return {
          id,
          rttMs,
          latencyMs: rttMs === null ? null : Math.round(rttMs / 2 + speaker.targetMs),
          lossPercent: expected > 0 ? Math.round((speaker.lost / expected) * 1000) / 10 : 0,
          jitterBufferMs: speaker.bufferedMs,
          received: speaker.received,
          concealed: room.concealed,
          late: speaker.late
        }
      }),
      dropped: { malformed: room.dropped.malformed, unauthenticated: room.dropped.unauthenticated },
      cpuPercent: room.cpuPercent
    }
  }

  async close(): Promise<void> {
    if (this.levelsTimer !== null) this.scheduler.clearTimeout(this.levelsTimer)
    this.levelsTimer = null
    this.keys?.close()
    this.ptt.close()
    this.room.stop()
    this.sinks.clear()
    await this.options.link.close()
  }

  private readonly onPlayback = (
    speaker: bigint,
    samples: Int16Array | null,
    count: number,
    sampleRate: number,
    targetMs: number
  ): void => {
    if (this.sinks.size === 0) return
    const frame = samples
      ? encodePlaybackFrame(PLAYBACK_FRAME_AUDIO, speaker, sampleRate, targetMs, samples, count)
      : encodePlaybackFrame(PLAYBACK_FRAME_GONE, speaker, sampleRate, 0, null)
    for (const sink of this.sinks) sink(frame)
  }

  private publishStatus(): void {
    this.lastTransmit = this.room.engine.transmitState
    this.options.events.status(this.status())
  }

  private readonly tickLevels = (): void => {
    // The pump moves from draining to idle on its own: tell the UI when it does.
    if (this.room.engine.transmitState !== this.lastTransmit) this.publishStatus()
    const levels: Array<{ id: string; levelDbfs: number; speaking: boolean }> = []
    let audible = false
    this.room.engine.forEachActivity((speaker, activity) => {
      if (activity.levelDbfs > SILENCE_DBFS) audible = true
      levels.push({ id: speaker, levelDbfs: Math.round(activity.levelDbfs * 10) / 10, speaking: activity.speaking })
    })
    // While anyone is audible, and once more after, so meters fall back to zero.
    if (audible || this.metersLive) this.options.events.levels(levels)
    this.metersLive = audible
    this.levelsTimer = this.scheduler.setTimeout(this.tickLevels, LEVELS_INTERVAL_MS)
  }
}
