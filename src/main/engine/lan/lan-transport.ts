import { Alarm, realScheduler, type Scheduler } from '../time/scheduler'
import type { Authentication, LanAuthBackend } from '../auth/authentication'
import type { Logger } from '../logging/logger'
import { splitSteamId } from '../../../shared/steam-id'
import { MemberAuthenticator } from '../transport/member-auth'
import {
  newTransportStats,
  type RoomConnection,
  type RoomTransport,
  type TransportHandlers,
  type TransportMember,
  type TransportStats
} from '../transport/room-transport'
import { JoinFailedError } from '../transport/room-link'
import { VoiceDatagramFitter } from '../transport/voice-datagram-fitter'
import { SEAL_OVERHEAD } from '../auth/session-crypto'
import { MAX_PAYLOAD_BYTES } from '../transport/wire-protocol'
import { DEFAULT_ADMISSION, type AdmissionLimits } from './admission'
import type { LanContext } from './lan-context'
import { LanDialer } from './lan-dialer'
import { LanHandshakes } from './lan-handshakes'
import { LanJoins } from './lan-joins'
import { LanMembership } from './lan-membership'
import type { LanPeer } from './lan-peer'
import { LanReceiver } from './lan-receiver'
import { LanSender } from './lan-sender'
import { LanUpkeep } from './lan-upkeep'
import { addressKey } from './udp-address'
import { UdpEndpoint } from './udp-endpoint'

export interface LanTransportOptions {
  name: string
  host: string
  port: number
  logger: Logger
  /** Who we are, and how tickets are made and checked: nobody's voice plays before theirs verifies. */
  auth: Authentication<LanAuthBackend>
  scheduler?: Scheduler
  /** Where to send discovery beacons ("a room is here"), if anywhere. */
  beaconTarget?: { host: string; port: number } | null
  admission?: AdmissionLimits
}

/**
 * The room over UDP: every member sends to every other (a full mesh). Someone becomes a member
 * in three steps: a Noise handshake with them (lan-handshakes.ts), their ticket, bound to that
 * handshake, verified inside the session it made (member-auth.ts), and then the roster, which
 * tells both sides whom else to dial (lan-membership.ts, lan-dialer.ts). Datagrams come in
 * through lan-receiver.ts, go out through lan-sender.ts, and lan-upkeep.ts keeps the time. This
 * file only puts them together and answers the room service.
 */
export class LanTransport implements RoomTransport {
  readonly stats: TransportStats = newTransportStats()
  readonly localId: bigint
  private readonly context: LanContext
  private readonly membership: LanMembership
  private readonly handshakes: LanHandshakes
  private readonly dialer = new LanDialer()
  private readonly joins: LanJoins
  private readonly authenticator: MemberAuthenticator
  private readonly upkeep: LanUpkeep
  private readonly voiceFitter: VoiceDatagramFitter
  private readonly alarm: Alarm

  private constructor(
    private readonly endpoint: UdpEndpoint,
    options: LanTransportOptions
  ) {
    this.localId = options.auth.localId
    const { low, high } = splitSteamId(this.localId)
    const scheduler = options.scheduler ?? realScheduler
    this.alarm = new Alarm(scheduler, () => this.tick())
    const context: LanContext = (this.context = {
      localId: this.localId,
      localIdText: this.localId.toString(),
      localLow: low,
      localHigh: high,
      name: options.name,
      closed: false,
      stats: this.stats,
      scheduler,
      logger: options.logger,
      send: new LanSender(endpoint, low, high, this.stats, options.logger),
      events: { handlers: {} },
      wakeAt: (at) => this.alarm.wakeAt(at),
      wakeForKeepalive: () => this.alarm.wakeAt(Math.max(scheduler.now() + 1, this.upkeep.nextKeepaliveAt))
    })
    this.joins = new LanJoins(() => context.events.handlers.roomChanged?.())
    this.authenticator = new MemberAuthenticator(
      options.auth,
      options.logger,
      (peer, message) => context.send.sealed(peer as LanPeer, message),
      (peer) => {
        if (this.membership.roster.get(peer.id) === peer) context.events.handlers.memberChanged?.(peer)
      },
      (id) => this.membership.roster.get(id),
      (peer) =>
        this.dialer.get((peer as LanPeer).address)?.introduce
          ? { name: context.name, introduce: true }
          : { name: context.name }
    )
    this.handshakes = new LanHandshakes(context, options.admission ?? DEFAULT_ADMISSION, {
      memberAt: (address) => this.membership.memberAt(address),
      sendTicket: (peer) => this.authenticator.sendTicket(peer),
      // Never a member (refused, or gave up): what its ticket began goes too, unless that key is a
      // member's (a restart of theirs, whose session it is now).
      abandon: (peer) =>
        this.membership.roster.get(peer.id) ? this.authenticator.abandon(peer) : this.authenticator.forget(peer)
    })
    this.membership = new LanMembership(context, this.handshakes, this.dialer, this.joins, this.authenticator)
    this.upkeep = new LanUpkeep(
      context,
      this.membership,
      this.handshakes,
      this.dialer,
      this.joins,
      this.authenticator,
      options.beaconTarget ?? null
    )
    const receiver = new LanReceiver(context, this.handshakes, this.membership, this.dialer, this.authenticator)
    this.voiceFitter = new VoiceDatagramFitter(low, high, MAX_PAYLOAD_BYTES - SEAL_OVERHEAD, (packet, length, at) =>
      context.send.voice(this.membership.roster.values(), packet, length, at)
    )
    endpoint.onDatagram(receiver.onDatagram, () => this.stats.dropped.errors++)
    this.tick()
  }

  static async open(options: LanTransportOptions): Promise<LanTransport> {
    const endpoint = await UdpEndpoint.open(options.host, options.port, options.logger)
    if (options.beaconTarget) endpoint.setBroadcast(true) // a network's broadcast address needs it too
    return new LanTransport(endpoint, options)
  }

  get members(): ReadonlyMap<bigint, TransportMember> {
    return this.membership.roster.members
  }

  /** The address we listen on, as others should dial it. */
  get address(): { host: string; port: number } {
    return this.endpoint.address
  }

  /** Sends dropped because too many were waiting in the kernel. */
  get sendDropped(): number {
    return this.endpoint.sendDropped
  }

  /** Handshakes and tickets in progress (strangers included): bounded. */
  get pendingCount(): number {
    return this.handshakes.size
  }

  setHandlers(handlers: TransportHandlers): void {
    this.context.events.handlers = handlers
  }

  /**
   * Asks the member at host:port to let us in; retried until they answer or 10 s pass. Resolves
   * once they are a verified member; rejects with JoinFailedError (a sentence for the player) when
   * nobody answered, or the join was cancelled.
   */
  join(host: string, port: number): Promise<void> {
    const address = addressKey(host, port)
    if (this.membership.memberAt(address)) return Promise.resolve()
    this.dialer.add(host, port, address, 0, true)
    const outcome = this.joins.wait(address)
    this.tick()
    return outcome
  }

  /** A LAN room is ours as long as the socket is: it is only "connecting" while we join another. */
  get connection(): RoomConnection {
    return { state: this.joins.inFlight ? 'connecting' : 'connected', problem: null }
  }

  /** Our new name: every member sees it at once, and beacons and introductions carry it from now on. */
  setName(name: string): void {
    this.context.name = name
    for (const member of this.membership.roster.values())
      this.context.send.sealed(member, { kind: 'hello', name, protocol: 2 })
  }

  /** Stops every join in progress: they fail with "cancelled". */
  cancelJoins(): void {
    for (const address of this.joins.addresses()) {
      if (this.dialer.get(address)?.introduce) this.dialer.remove(address)
      this.joins.settle(address, new JoinFailedError(`Stopped joining ${address}.`))
    }
  }

  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean {
    if (this.membership.roster.size === 0 || this.context.closed) return true
    if (this.voiceFitter.fit(packet, length, capturedAt)) return true
    this.stats.unsent.tooBig++
    return false
  }

  async close(): Promise<void> {
    if (this.context.closed) return
    this.context.closed = true
    this.alarm.cancel()
    this.joins.failAll('Parley is closing.')
    // Say goodbye, and let those datagrams leave before the socket goes.
    await Promise.all(
      [...this.membership.roster.values()].map(
        (member) => new Promise<void>((resolve) => this.context.send.sealed(member, { kind: 'leave' }, resolve))
      )
    )
    await this.endpoint.close()
    this.authenticator.close()
  }

  /** Everything due now; then one timer at the next thing due. */
  private tick(): void {
    if (this.context.closed) return
    const now = this.context.scheduler.now()
    const next = this.upkeep.run(now)
    if (next < Infinity) this.alarm.wakeAt(Math.max(next, now + 1))
  }
}
