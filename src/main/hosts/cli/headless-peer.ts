import type { SampleRateSetting } from '../../../shared/settings-schema'
import type { MonoPcm } from '../../engine/audio/wav-file'
import { Authentication, LanAuthBackend } from '../../engine/auth/authentication'
import { generateIdentity, type LanIdentity } from '../../engine/auth/lan-identity'
import { WavMicrophone } from '../../engine/capture/wav-microphone'
import { VoiceRoom, type PeerStats } from '../../engine/call/voice-room'
import type { Logger } from '../../engine/logging/logger'
import { HeadlessOutput } from '../../engine/playout/headless-output'
import { EmbeddedSteamVoice } from '../../engine/steam-voice/embedded-steam-voice'
import { realScheduler, toMonotonicMs, type Scheduler } from '../../engine/time/scheduler'
import { defaultBeaconTarget } from '../../engine/lan/discovery'
import { LanTransport } from '../../engine/lan/lan-transport'
import { isTalking, nextTalkChange, type TalkSchedule } from './talk-schedule'

export interface HeadlessPeerOptions {
  name: string
  listen: { host: string; port: number }
  join: Array<{ host: string; port: number }>
  mic: MonoPcm | null
  talk: TalkSchedule
  record: boolean
  sampleRate: SampleRateSetting
  logger: Logger
  scheduler?: Scheduler
  /** This peer's identity (from its data directory); a fresh one when absent. */
  identity?: LanIdentity
  /** Output blocks kept mixed ahead (default 2: a low-latency sound card); more where one process runs many peers. */
  outputBlocksAhead?: number
}

/** --stats: the room's figures, and when the microphone and the recording started on the machine's clock. */
export interface HeadlessPeerStats extends PeerStats {
  clock: {
    /** When sample 0 of --mic entered the microphone (process.hrtime.bigint(), ms); null without --mic. */
    micFirstSampleMs: number | null
    /** When sample 0 of --record left the output (process.hrtime.bigint(), ms). */
    recordFirstSampleMs: number
  }
  /** Output blocks the process was too late for (played as silence). */
  lateOutputBlocks: number
}

/**
 * A member of a LAN room with no window: plays a WAV into its microphone on a talk schedule
 * and records what it hears. The test peer, and the recording bot.
 */
export class HeadlessPeer {
  private talkTimer: unknown = null
  private readonly startedAt: number

  private constructor(
    readonly transport: LanTransport,
    readonly room: VoiceRoom,
    private readonly voice: EmbeddedSteamVoice,
    private readonly output: HeadlessOutput,
    private readonly mic: WavMicrophone | null,
    private readonly options: HeadlessPeerOptions,
    private readonly scheduler: Scheduler
  ) {
    this.startedAt = scheduler.now()
  }

  static async start(options: HeadlessPeerOptions): Promise<HeadlessPeer> {
    const scheduler = options.scheduler ?? realScheduler
    const identity = options.identity ?? generateIdentity()
    const steamId = identity.steamId
    const auth = new Authentication(new LanAuthBackend(identity), () => Date.now())
    const voice = await EmbeddedSteamVoice.create({ steamId, clock: () => scheduler.now() })
    const transport = await LanTransport.open({
      name: options.name,
      host: options.listen.host,
      port: options.listen.port,
      logger: options.logger,
      scheduler,
      beaconTarget: defaultBeaconTarget(options.listen.host),
      auth
    })
    const rate = options.sampleRate === 'optimal' ? voice.getVoiceOptimalSampleRate() : options.sampleRate
    const output = new HeadlessOutput(scheduler, rate, options.record, options.outputBlocksAhead)
    const room = new VoiceRoom({
      transport,
      voice,
      sampleRate: options.sampleRate,
      logger: options.logger,
      scheduler,
      localKey: 'local',
      playout: () => output.open()
    })
    const mic = options.mic
      ? new WavMicrophone(options.mic, scheduler, (samples, offset, count, sampleRate, endedAt) =>
          voice.pushMicrophone(samples, offset, count, sampleRate, endedAt)
        )
      : null
    const peer = new HeadlessPeer(transport, room, voice, output, mic, options, scheduler)
    output.start()
    mic?.start()
    peer.applyTalkSchedule()
    for (const target of options.join) {
      transport.join(target.host, target.port).catch((error: Error) => options.logger.warn(error.message))
    }
    return peer
  }

  get address(): { host: string; port: number } {
    return this.transport.address
  }

  stats(): HeadlessPeerStats {
    return {
      ...this.room.stats(),
      clock: {
        micFirstSampleMs: this.mic ? toMonotonicMs(this.mic.firstSampleAt) : null,
        recordFirstSampleMs: toMonotonicMs(this.output.startedAt)
      },
      lateOutputBlocks: this.output.lateBlocks
    }
  }

  /** What this peer heard, as 16-bit mono at the room's rate. */
  recorded(): MonoPcm {
    return { sampleRate: this.output.sampleRate, samples: this.output.recording() }
  }

  async stop(): Promise<void> {
    if (this.talkTimer !== null) this.scheduler.clearTimeout(this.talkTimer)
    this.mic?.stop()
    this.output.stop()
    this.room.stop()
    await this.transport.close()
    this.voice.free()
  }

  /** Holds or releases push-to-talk as the schedule says, and wakes at its next change. */
  private readonly applyTalkSchedule = (): void => {
    this.talkTimer = null
    const seconds = (this.scheduler.now() - this.startedAt) / 1000
    const talking = isTalking(this.options.talk, seconds)
    const state = this.room.pump.transmitState
    if (talking && state !== 'talking') this.room.setTalking(true)
    else if (!talking && state === 'talking') this.room.setTalking(false)
    const next = nextTalkChange(this.options.talk, seconds)
    if (next !== null) this.talkTimer = this.scheduler.setTimeout(this.applyTalkSchedule, (next - seconds) * 1000 + 1)
  }
}
