import { LoopFaults } from '../logging/loop-faults'
import type { SampleRateSetting } from '../../../shared/settings-schema'
import type { TransmitState } from '../../../shared/contract'
import type { Logger } from '../logging/logger'
import type { PlayoutFactory } from '../playout/playout-sink'
import { VoicePump } from '../pump/voice-pump'
import { percentiles, SpeakerStream } from '../speaker/speaker-stream'
import { SpeakingTracker, type SpeakingState } from '../speaker/speaking-tracker'
import type { SteamVoice } from '../steam-voice/steam-voice'
import { Alarm, realScheduler, type Scheduler } from '../time/scheduler'
import type {
  MemberConnection,
  RoomConnection,
  RoomTransport,
  TransportMember,
  TransportStats
} from '../transport/room-transport'
import { elapsedSinceWire, MAX_PAYLOAD_BYTES, wallClock } from '../transport/wire-protocol'

/** What a room reports about itself (the headless peer writes it with --stats). */
export interface PeerStats {
  sent: number
  received: number
  dropped: TransportStats['dropped'] & { late: number }
  /** Sequence numbers never received. */
  lost: number
  concealed: number
  underruns: number
  /** Mouth-to-ear (ms): the sender's capture time, through the network, decoding and the queue, to the output. */
  latencyMs: { p50: number | null; p95: number | null }
  /** The room's own link (connecting, connected, reconnecting, lost) and why, when not up. */
  connection: RoomConnection
  members: Array<{
    id: string
    name: string
    rttMs: number | null
    connection: MemberConnection
    auth?: 'verifying' | 'verified' | { rejected: string }
  }>
  /** This process's CPU use since the room started, as a share of one core. */
  cpuPercent: number
  /** Each speaker's playout as it stands (ms). */
  playouts: Array<{ id: string; targetMs: number; jitterMs: number; underruns: number; cutMs: number }>
  /** Where the time went, as means over packets (ms): sent here, and received here. */
  stages: {
    framedToSent: number | null
    captureToArrival: number | null
    reorder: number | null
    decode: number | null
    queue: number | null
  }
}

export interface VoiceRoomOptions {
  transport: RoomTransport
  voice: SteamVoice & { forgetSpeaker?(steamId: bigint): void }
  sampleRate: SampleRateSetting
  logger: Logger
  /** Where each speaker's decoded audio is played. */
  playout: PlayoutFactory
  scheduler?: Scheduler
  /** The key our own activity is reported under. */
  localKey: string
  /** Someone's speaking state or level changed (our own under `localKey`). */
  onActivity?: (speaker: string, activity: SpeakingState) => void
  /** Talking, draining, idle. */
  onTransmit?: (state: TransmitState) => void
  /** Someone joined, left, or their auth or connection changed; or the room's own connection did. */
  onMembersChanged?: () => void
}

/**
 * A room of people talking: our captured voice through the pump to the transport, and each
 * member's packets through their own speaker stream into the playout.
 */
export class VoiceRoom {
  readonly pump: VoicePump
  private readonly transport: RoomTransport
  private readonly scheduler: Scheduler
  private readonly streams = new Map<TransportMember, SpeakerStream>()
  /** Speakers who left, whose figures still count in the room's. */
  private readonly departed: SpeakerStream[] = []
  private readonly local = new SpeakingTracker()
  private readonly localAlarm: Alarm
  private rate: number
  /** The mic test's own speaker stream, while it runs. */
  private micTest: { stream: SpeakerStream; sequence: number } | null = null
  private readonly startCpu = process.cpuUsage()
  private readonly startWall = performance.now()

  constructor(private readonly options: VoiceRoomOptions) {
    this.transport = options.transport
    this.scheduler = options.scheduler ?? realScheduler
    this.rate = this.resolveRate(options.sampleRate)
    this.localAlarm = new Alarm(this.scheduler, () => this.ageLocal())
    this.pump = new VoicePump({
      faults: new LoopFaults(options.logger),
      voice: options.voice,
      outgoing: this,
      scheduler: this.scheduler,
      onTransmit: options.onTransmit,
      // We hear ourselves only as "a packet went out"; the meter for the microphone is the renderer's.
      onSent: (now) => {
        if (this.local.heard(0, now)) options.onActivity?.(options.localKey, this.local)
        this.localAlarm.wakeAt(this.local.quietAt)
      }
    })
    this.transport.setHandlers({
      voice: this.onVoice,
      memberJoined: (member) => {
        this.streamFor(member)
        options.onMembersChanged?.()
      },
      memberLeft: (member) => {
        this.forget(member)
        options.onMembersChanged?.()
      },
      memberChanged: () => options.onMembersChanged?.(),
      roomChanged: () => options.onMembersChanged?.()
    })
  }

  stop(): void {
    this.micTest?.stream.close()
    this.micTest = null
    this.pump.stop()
    this.localAlarm.cancel()
    for (const member of [...this.streams.keys()]) this.forget(member)
  }

  setTalking(talking: boolean): void {
    this.pump.setTalking(talking)
  }

  /** Where the pump's packets go: to the room, or during a mic test only back to us. */
  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean {
    const test = this.micTest
    if (!test) return this.transport.sendVoice(packet, length, capturedAt)
    test.stream.receive(test.sequence++ & 0xffff, packet, 0, length, capturedAt)
    return true
  }

  /**
   * Mic test: our own packets, decoded by the same codec path a friend's copy of Parley uses,
   * played back to us as one more speaker; nothing goes to the room meanwhile.
   */
  setMicTest(on: boolean, localId: bigint): void {
    if (on === (this.micTest !== null)) return
    if (!on) {
      this.pump.cutShort()
      this.micTest!.stream.close()
      this.micTest = null
      this.options.voice.forgetSpeaker?.(localId)
      return
    }
    const stream = new SpeakerStream({
      id: localId,
      voice: this.options.voice,
      playout: this.options.playout(localId),
      scheduler: this.scheduler,
      sampleRate: () => this.rate,
      maxPacketBytes: MAX_PAYLOAD_BYTES,
      onActivity: () => {}
    })
    this.micTest = { stream, sequence: 0 }
  }

  /** The next packet decodes at the new rate; the playout follows the rate its audio comes at. */
  setSampleRate(setting: SampleRateSetting): void {
    this.rate = this.resolveRate(setting)
  }

  get sampleRate(): number {
    return this.rate
  }

  get speakers(): Iterable<SpeakerStream> {
    return this.streams.values()
  }

  stats(): PeerStats {
    const dropped = { ...this.transport.stats.dropped, late: 0 }
    let lost = 0
    let concealed = 0
    let underruns = 0
    for (const stream of this.everyStream()) {
      dropped.late += stream.stats.late
      dropped.duplicate += stream.stats.duplicate
      lost += stream.stats.lost
      concealed += stream.stats.concealed
      underruns += stream.playout.figures.underruns
    }
    return {
      sent: this.transport.stats.sent,
      received: this.transport.stats.received,
      dropped,
      lost,
      concealed,
      underruns,
      latencyMs: this.latency(),
      connection: { ...this.transport.connection },
      members: [...this.transport.members.values()].map((m) => ({
        id: m.id.toString(),
        name: m.name,
        rttMs: m.rttMs,
        connection: m.connection,
        ...(m.auth ? { auth: m.auth } : {})
      })),
      cpuPercent: cpuShare(this.startCpu, this.startWall),
      playouts: this.everyStream().map((stream) => ({ id: stream.key, ...stream.playout.figures })),
      stages: this.stages()
    }
  }

  private stages(): PeerStats['stages'] {
    const sum = { packets: 0, captureToArrivalMs: 0, reorderMs: 0, decodeMs: 0, queueMs: 0 }
    for (const stream of this.everyStream()) {
      for (const key of Object.keys(sum) as Array<keyof typeof sum>) sum[key] += stream.stages[key]
    }
    const mean = (total: number, count: number) => (count ? Math.round((total / count) * 100) / 100 : null)
    const { packetsSent, framedToSentMs } = this.pump.stats
    return {
      framedToSent: mean(framedToSentMs, packetsSent),
      captureToArrival: mean(sum.captureToArrivalMs, sum.packets),
      reorder: mean(sum.reorderMs, sum.packets),
      decode: mean(sum.decodeMs, sum.packets),
      queue: mean(sum.queueMs, sum.packets)
    }
  }

  /** Mouth-to-ear over every speaker's recent packets. */
  private latency(): { p50: number | null; p95: number | null } {
    const all: number[] = []
    for (const stream of this.everyStream()) all.push(...stream.recentLatencies())
    return percentiles(all)
  }

  private everyStream(): SpeakerStream[] {
    return [...this.streams.values(), ...this.departed]
  }

  private readonly onVoice = (
    member: TransportMember,
    sequence: number,
    bytes: Uint8Array,
    offset: number,
    length: number,
    capturedAtWire: number
  ): void => {
    // Their capture time on our clock: their wall clock is ours plus the offset the keepalives measured.
    const now = this.scheduler.now()
    const capturedAt = now - elapsedSinceWire(wallClock() + member.clockOffsetMs, capturedAtWire)
    this.streamFor(member).receive(sequence, bytes, offset, length, capturedAt)
  }

  private streamFor(member: TransportMember): SpeakerStream {
    let stream = this.streams.get(member)
    if (!stream) {
      stream = new SpeakerStream({
        id: member.id,
        voice: this.options.voice,
        playout: this.options.playout(member.id),
        scheduler: this.scheduler,
        sampleRate: () => this.rate,
        maxPacketBytes: MAX_PAYLOAD_BYTES,
        onActivity: (changed) => this.options.onActivity?.(changed.key, changed.activity)
      })
      this.streams.set(member, stream)
    }
    return stream
  }

  private forget(member: TransportMember): void {
    const stream = this.streams.get(member)
    if (!stream) return
    this.streams.delete(member)
    stream.close()
    this.departed.push(stream)
    if (this.departed.length > 64) this.departed.shift()
    this.options.voice.forgetSpeaker?.(member.id)
  }

  private ageLocal(): void {
    const now = this.scheduler.now()
    if (this.local.update(now)) this.options.onActivity?.(this.options.localKey, this.local)
    if (this.local.speaking) this.localAlarm.wakeAt(this.local.quietAt)
  }

  private resolveRate(setting: SampleRateSetting): number {
    return setting === 'optimal' ? this.options.voice.getVoiceOptimalSampleRate() : setting
  }
}

function cpuShare(since: NodeJS.CpuUsage, wallStart: number): number {
  const used = process.cpuUsage(since)
  const wall = performance.now() - wallStart
  return wall > 0 ? Math.round(((used.user + used.system) / 1000 / wall) * 1000) / 10 : 0
}
