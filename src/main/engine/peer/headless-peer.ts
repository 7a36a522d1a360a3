import type { SampleRateSetting } from '../../../shared/settings-schema'
import { Authentication, LanAuthBackend } from '../auth/authentication'
import { generateIdentity, type LanIdentity } from '../auth/lan-identity'
import type { Logger } from '../logging/logger'
import { defaultBeaconTarget } from '../transport/discovery'
import { LanTransport } from '../transport/lan-transport'
import { VoiceRoom, type RoomStats } from '../call/voice-room'
import type { MonoPcm } from '../audio/wav-file'
import { WavFileSource } from '../capture/wav-file-source'
import { FixedRateTimer, realScheduler, type Scheduler } from '../time/scheduler'
import { EmbeddedSteamVoice } from '../steam-voice/embedded-steam-voice'
import { isTalking, type TalkSchedule } from './talk-schedule'

/** The mix is pulled in 10 ms blocks, as an audio device would. */
const MIX_BLOCK_MS = 10

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
  /** False only to play a rogue peer in tests: no tickets, no sealing. */
  authenticate?: boolean
}

/**
 * A member of a LAN room with no window: plays a WAV into its microphone on a talk schedule
 * and records what it hears. The test peer, and the recording bot.
 */
export class HeadlessPeer {
  private readonly recording: Int16Array[] = []
  private recordedSamples = 0
  private mixTimer: FixedRateTimer
  private talkTimer: FixedRateTimer
  private readonly startedAt: number
  private readonly mixBuffer: Float32Array
  private mixBlocks = 0
  private mixedSamples = 0

  private constructor(
    readonly transport: LanTransport,
    readonly room: VoiceRoom,
    private readonly voice: EmbeddedSteamVoice,
    private readonly options: HeadlessPeerOptions,
    private readonly scheduler: Scheduler
  ) {
    this.startedAt = scheduler.now()
    this.mixBuffer = new Float32Array(Math.ceil((48000 * MIX_BLOCK_MS) / 1000) + 1)
    this.mixTimer = new FixedRateTimer(scheduler, MIX_BLOCK_MS, this.mixBlock)
    this.talkTimer = new FixedRateTimer(scheduler, 10, this.applyTalkSchedule)
  }

  static async start(options: HeadlessPeerOptions): Promise<HeadlessPeer> {
    const scheduler = options.scheduler ?? realScheduler
    const identity = options.identity ?? generateIdentity()
    const steamId = identity.steamId
    const auth =
      options.authenticate === false ? undefined : new Authentication(new LanAuthBackend(identity), () => Date.now())
    const clock = () => scheduler.now()
    const voice = await EmbeddedSteamVoice.create({
      steamId,
      microphone: options.mic ? new WavFileSource(options.mic, clock) : null,
      clock
    })
    const transport = await LanTransport.open({
      localId: steamId,
      name: options.name,
      host: options.listen.host,
      port: options.listen.port,
      logger: options.logger,
      scheduler,
      beaconTarget: defaultBeaconTarget(options.listen.host),
      auth
    })
    const room = new VoiceRoom({ transport, voice, sampleRate: options.sampleRate, logger: options.logger, scheduler })
    const peer = new HeadlessPeer(transport, room, voice, options, scheduler)
    room.start()
    peer.mixTimer.start()
    peer.talkTimer.start()
    peer.applyTalkSchedule()
    for (const target of options.join) transport.join(target.host, target.port)
    return peer
  }

  get address(): { host: string; port: number } {
    return this.transport.address
  }

  stats(): RoomStats {
    return this.room.stats()
  }

  /** What this peer heard, as 16-bit mono at the room's rate. */
  recorded(): MonoPcm {
    const samples = new Int16Array(this.recordedSamples)
    let offset = 0
    for (const chunk of this.recording) {
      samples.set(chunk, offset)
      offset += chunk.length
    }
    return { sampleRate: this.room.sampleRate, samples }
  }

  async stop(): Promise<void> {
    this.talkTimer.stop()
    this.mixTimer.stop()
    this.room.stop()
    await this.transport.close()
    this.voice.free()
  }

  private readonly applyTalkSchedule = (): void => {
    const seconds = (this.scheduler.now() - this.startedAt) / 1000
    const talking = isTalking(this.options.talk, seconds)
    const state = this.room.engine.transmitState
    if (talking && state !== 'talking') this.room.setTalking(true)
    else if (!talking && state === 'talking') this.room.setTalking(false)
  }

  private readonly mixBlock = (): void => {
    // 10 ms is not a whole number of samples at 22050 or 11025 Hz: carry the fraction over.
    this.mixBlocks++
    const count = Math.floor((this.mixBlocks * this.room.sampleRate * MIX_BLOCK_MS) / 1000) - this.mixedSamples
    this.mixedSamples += count
    const mix = this.mixBuffer.length >= count ? this.mixBuffer : new Float32Array(count)
    mix.fill(0, 0, count)
    this.room.mix(mix, count)
    if (!this.options.record) return
    const block = new Int16Array(count)
    for (let i = 0; i < count; i++) block[i] = Math.max(-32768, Math.min(32767, Math.round(mix[i]!)))
    this.recording.push(block)
    this.recordedSamples += count
  }
}
