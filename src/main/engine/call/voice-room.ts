import type { SampleRateSetting } from '../../../shared/settings-schema'
import type { Logger } from '../logging/logger'
import { PlayoutBuffer } from '../../../shared/playout-buffer'
import { realScheduler, type Scheduler } from '../time/scheduler'
import { VoiceEngine, type VoiceEngineListener } from '../pump/voice-pump'
import type { EmbeddedSteamVoice } from '../steam-voice/embedded-steam-voice'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { JitterEstimator, MIN_TARGET_DELAY_MS } from '../speaker/jitter'
import { ReorderBuffer } from '../speaker/reorder-buffer'
import type { RoomMember, RoomTransport } from '../transport/room-transport'
import { elapsedSinceWire, wallClock } from '../transport/wire-protocol'

/** How often held packets are checked for an expired wait at a gap. */
const RELEASE_TICK_MS = 5
/**
 * At a gap, wait for the missing packet only while the speaker still has more than this much
 * audio queued; then let the decoder conceal it rather than let playback run dry.
 */
const GAP_SAFETY_MS = 10
const LATENCY_SAMPLES = 4096

interface SpeakerChannel {
  id: bigint
  key: string
  name: string
  reorder: ReorderBuffer
  jitter: JitterEstimator
  playout: PlayoutBuffer
  received: number
}

export interface RoomStats {
  sent: number
  received: number
  dropped: { malformed: number; unauthenticated: number; late: number; duplicate: number }
  concealed: number
  underruns: number
  latencyMs: { p50: number | null; p95: number | null }
  members: Array<{
    id: string
    name: string
    rttMs: number | null
    auth?: 'verifying' | 'verified' | { rejected: string }
  }>
  /** This process's CPU use since the room started, as a share of one core. */
  cpuPercent: number
}

export interface VoiceRoomOptions {
  transport: RoomTransport
  voice: SteamVoice & Partial<Pick<EmbeddedSteamVoice, 'stats' | 'forgetSpeaker'>>
  sampleRate: SampleRateSetting
  logger: Logger
  scheduler?: Scheduler
  intervalMs?: number
  listener?: VoiceEngineListener
  /** Our own speaking state as it changes (Steam mode passes it to SetInGameVoiceSpeaking). */
  onLocalSpeaking?: (speaking: boolean) => void
  /**
   * Each speaker's decoded PCM as it comes, with the delay to buffer it by, for a player
   * elsewhere (the app's worklet). With it, the room's own playout buffers only mirror that
   * player, drained by the clock, so gap waits and underruns still see how much is queued.
   * `samples` is null when the speaker has left.
   */
  onPlayback?: (
    speaker: bigint,
    samples: Int16Array | null,
    count: number,
    sampleRate: number,
    targetMs: number
  ) => void
  /** Someone joined, left, or their auth state changed. */
  onMembersChanged?: () => void
}

export interface MemberPlayoutStats {
  id: bigint
  received: number
  late: number
  /** Sequence numbers never received (skipped at a gap). */
  lost: number
  targetMs: number
  bufferedMs: number
  underruns: number
}

/** The id the engine reports the local user's activity under. */
export const LOCAL_SPEAKER = 'local'

/**
 * A room of people talking: our captured voice to the transport, and each member's packets
 * through a reorder buffer, the decoder, and a playout buffer into one continuous stream per
 * speaker, mixed on demand.
 */
export class VoiceRoom {
  readonly engine: VoiceEngine
  private readonly transport: RoomTransport
  private readonly scheduler: Scheduler
  private readonly speakers = new Map<bigint, SpeakerChannel>()
  private readonly byKey = new Map<string, SpeakerChannel>()
  private readonly latencies = new Float64Array(LATENCY_SAMPLES)
  private latencyCount = 0
  private releaseTimer: unknown = null
  private delivering: SpeakerChannel | null = null
  private readonly startCpu = process.cpuUsage()
  private readonly startWall = performance.now()
  private deliveringSentMs = 0
  private drainedAt = 0
  private drainCarry = 0

  constructor(private readonly options: VoiceRoomOptions) {
    this.transport = options.transport
    this.scheduler = options.scheduler ?? realScheduler
    const outer = options.listener ?? {}
    this.engine = new VoiceEngine({
      voice: options.voice,
      outgoing: options.transport,
      sampleRate: options.sampleRate,
      scheduler: this.scheduler,
      intervalMs: options.intervalMs,
      localSpeaker: LOCAL_SPEAKER,
      listener: {
        activity: (speaker, activity) => {
          if (speaker === LOCAL_SPEAKER) options.onLocalSpeaking?.(activity.speaking)
          outer.activity?.(speaker, activity)
        },
        pcm: (speaker, samples, count, rate) => {
          this.onPcm(speaker, samples, count)
          outer.pcm?.(speaker, samples, count, rate)
        }
      }
    })
    this.transport.setHandlers({
      voice: this.onVoice,
      memberJoined: (member) => {
        this.channelFor(member.id, member.name)
        options.onMembersChanged?.()
      },
      memberLeft: (member) => {
        this.forget(member)
        options.onMembersChanged?.()
      },
      memberChanged: () => options.onMembersChanged?.()
    })
  }

  start(): void {
    this.engine.start()
    this.drainedAt = this.scheduler.now()
    const tick = (): void => {
      const now = this.scheduler.now()
      if (this.options.onPlayback) this.drainMirrors(now)
      for (const channel of this.speakers.values()) this.release(channel, now)
      this.releaseTimer = this.scheduler.setTimeout(tick, RELEASE_TICK_MS)
    }
    tick()
  }

  stop(): void {
    this.engine.stop()
    if (this.releaseTimer !== null) this.scheduler.clearTimeout(this.releaseTimer)
    this.releaseTimer = null
  }

  setTalking(talking: boolean): void {
    this.engine.setTalking(talking)
  }

  /** Decoding and playout switch to the new rate at once; queued audio at the old rate is dropped. */
  setSampleRate(setting: SampleRateSetting): void {
    this.engine.setSampleRate(setting)
    for (const channel of this.speakers.values()) {
      channel.playout = new PlayoutBuffer(this.engine.sampleRate, channel.jitter.targetDelayMs())
    }
  }

  get sampleRate(): number {
    return this.engine.sampleRate
  }

  /** Mixes every speaker's next `count` samples into `mix` (which the caller zeroed). */
  mix(mix: Float32Array, count: number): void {
    const now = this.scheduler.now()
    for (const channel of this.speakers.values()) channel.playout.mixInto(mix, 0, count, now)
  }

  /** Per speaker: what arrived, what was lost, and how their playout stands. */
  playoutStats(): MemberPlayoutStats[] {
    return [...this.speakers.values()].map((channel) => ({
      id: channel.id,
      received: channel.received,
      late: channel.reorder.stats.late,
      lost: channel.reorder.stats.skipped,
      targetMs: Math.round(channel.jitter.targetDelayMs(this.scheduler.now())),
      bufferedMs: Math.round(channel.playout.bufferedMs),
      underruns: channel.playout.underruns
    }))
  }

  stats(): RoomStats {
    const dropped = { ...this.transport.stats.dropped, late: 0 }
    let underruns = 0
    for (const channel of this.speakers.values()) {
      dropped.late += channel.reorder.stats.late
      dropped.duplicate += channel.reorder.stats.duplicate
      underruns += channel.playout.underruns
    }
    const count = Math.min(this.latencyCount, LATENCY_SAMPLES)
    const sorted = Array.from(this.latencies.subarray(0, count)).sort((a, b) => a - b)
    const percentile = (p: number) =>
      count ? Math.round(sorted[Math.min(count - 1, Math.floor(p * count))]! * 10) / 10 : null
    return {
      sent: this.transport.stats.sent,
      received: this.transport.stats.received,
      dropped,
      concealed: this.options.voice.stats?.concealed ?? 0,
      underruns,
      latencyMs: { p50: percentile(0.5), p95: percentile(0.95) },
      members: [...this.transport.members.values()].map((m) => ({
        id: m.id.toString(),
        name: m.name,
        rttMs: m.rttMs,
        ...(m.auth ? { auth: m.auth } : {})
      })),
      cpuPercent: cpuShare(this.startCpu, this.startWall)
    }
  }

  private readonly onVoice = (
    from: bigint,
    sequence: number,
    bytes: Uint8Array,
    offset: number,
    length: number,
    sentAtWire: number
  ): void => {
    const member = this.transport.members.get(from)
    if (!member) return
    const channel = this.channelFor(from, member.name)
    channel.received++
    const now = this.scheduler.now()
    // The sender's timestamp in our clock's terms (meaningful where clocks agree: one machine, NTP).
    const sentMs = now - elapsedSinceWire(wallClock(), sentAtWire)
    channel.jitter.observe(now, sentMs)
    if (channel.reorder.insert(sequence, bytes, offset, length, now, sentMs) === 'accepted') this.release(channel, now)
  }

  private release(channel: SpeakerChannel, now: number): void {
    if (channel.reorder.depth === 0) return
    const target = channel.jitter.targetDelayMs(now)
    channel.playout.setTargetMs(target)
    const wait = Math.min(target, Math.max(0, channel.playout.bufferedMs - GAP_SAFETY_MS))
    this.delivering = channel
    channel.reorder.release(now, wait, this.deliver)
    this.delivering = null
  }

  private readonly deliver = (bytes: Uint8Array, length: number, sentMs: number): void => {
    const channel = this.delivering!
    this.deliveringSentMs = sentMs
    this.engine.receive(channel.key, bytes, length)
  }

  private onPcm(speaker: string, samples: Int16Array, count: number): void {
    const channel = this.byKey.get(speaker)
    if (!channel) return
    const now = this.scheduler.now()
    // Mouth-to-ear minus capture: network and reordering, plus the audio queued ahead of this.
    const latency = now - this.deliveringSentMs + channel.playout.bufferedMs
    this.latencies[this.latencyCount++ % LATENCY_SAMPLES] = latency
    const underruns = channel.playout.underruns
    channel.playout.push(samples, count, now)
    // Running dry mid-stream means the delay is too tight for this link right now.
    if (channel.playout.underruns !== underruns) channel.jitter.underrun(now)
    this.options.onPlayback?.(channel.id, samples, count, this.engine.sampleRate, channel.jitter.targetDelayMs(now))
  }

  /** Drains each mirror by the samples the real player has played since the last tick. */
  private drainMirrors(now: number): void {
    const exact = ((now - this.drainedAt) * this.engine.sampleRate) / 1000 + this.drainCarry
    const count = Math.floor(exact)
    this.drainCarry = exact - count
    this.drainedAt = now
    if (count <= 0) return
    for (const channel of this.speakers.values()) channel.playout.mixInto(null, 0, count, now)
  }

  private channelFor(id: bigint, name: string): SpeakerChannel {
    let channel = this.speakers.get(id)
    if (!channel) {
      channel = {
        id,
        key: id.toString(),
        name,
        reorder: new ReorderBuffer(),
        jitter: new JitterEstimator(),
        playout: new PlayoutBuffer(this.engine.sampleRate, MIN_TARGET_DELAY_MS),
        received: 0
      }
      this.speakers.set(id, channel)
      this.byKey.set(channel.key, channel)
    }
    return channel
  }

  private forget(member: RoomMember): void {
    const channel = this.speakers.get(member.id)
    if (!channel) return
    this.speakers.delete(member.id)
    this.byKey.delete(channel.key)
    this.engine.removeSpeaker(channel.key)
    this.options.voice.forgetSpeaker?.(member.id)
    this.options.onPlayback?.(member.id, null, 0, this.engine.sampleRate, 0)
  }
}

function cpuShare(since: NodeJS.CpuUsage, wallStart: number): number {
  const used = process.cpuUsage(since)
  const wall = performance.now() - wallStart
  return wall > 0 ? Math.round(((used.user + used.system) / 1000 / wall) * 1000) / 10 : 0
}
