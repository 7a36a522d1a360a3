import { encodeControl } from '../transport/control-messages'
import {
  connectionAfterSilence,
  KEEPALIVE_INTERVAL_MS,
  nextPing,
  RECONNECTING_AFTER_MS,
  REDIAL_AFTER_MS,
  shouldPing
} from '../transport/keepalive'
import type { MemberAuthenticator } from '../transport/member-auth'
import { JoinFailedError } from '../transport/room-link'
import { wallClock, WIRE_CONTROL } from '../transport/wire-protocol'
import type { LanContext } from './lan-context'
import type { LanDialer } from './lan-dialer'
import type { LanHandshakes } from './lan-handshakes'
import type { LanJoins } from './lan-joins'
import type { LanMembership } from './lan-membership'
import { MAX_ROOM_MEMBERS } from './lan-roster'

const BEACON_INTERVAL_MS = 2000
/** For this long after someone joins through us, they get the whole roster again now and then (a lost page is made good). */
const ROSTER_REFRESH_FOR_MS = 12_000
const ROSTER_INTERVAL_MS = 4000

/**
 * The room's clock: dialling and its retries, keepalives, silence and expiry, roster refreshes,
 * beacons. `run` does everything due now and says when the next thing is due.
 */
export class LanUpkeep {
  private lastKeepalive = -Infinity
  private lastBeacon = -Infinity
  private lastRoster = 0
  private nonce = 1

  constructor(
    private readonly context: LanContext,
    private readonly membership: LanMembership,
    private readonly handshakes: LanHandshakes,
    private readonly dialer: LanDialer,
    private readonly joins: LanJoins,
    private readonly authenticator: MemberAuthenticator,
    /** Where to send discovery beacons ("a room is here"), if anywhere. */
    private readonly beaconTarget: { host: string; port: number } | null
  ) {}

  /** When the next keepalive round is due. */
  get nextKeepaliveAt(): number {
    return this.lastKeepalive + KEEPALIVE_INTERVAL_MS
  }

  /** Everything due at `now`; returns when the next thing is due (Infinity: nothing is). */
  run(now: number): number {
    this.watchSilence(now)
    this.handshakes.expire(now)
    this.dial(now)
    if (now - this.lastKeepalive >= KEEPALIVE_INTERVAL_MS) this.keepalives(now)
    if (now - this.lastRoster >= ROSTER_INTERVAL_MS) this.refreshRosters(now)
    const beacon = this.beaconTarget
    if (beacon && now - this.lastBeacon >= BEACON_INTERVAL_MS) {
      this.lastBeacon = now
      const payload = encodeControl({
        kind: 'beacon',
        name: this.context.name,
        members: Math.min(this.membership.roster.size + 1, MAX_ROOM_MEMBERS)
      })
      this.context.send.clear(WIRE_CONTROL, beacon.host, beacon.port, payload, payload.length)
    }
    return this.nextDueAt()
  }

  /** Members gone quiet are reconnecting, then lost; while reconnecting, we dial them afresh now and then. */
  private watchSilence(now: number): void {
    const { context, membership } = this
    for (const member of [...membership.roster.values()]) {
      const connection = connectionAfterSilence(member, now)
      if (connection === 'lost') {
        this.dialer.remove(member.address)
        membership.remove(member, 'timeout')
      } else if (connection !== member.connection) {
        member.connection = connection
        context.logger.info(`${member.name} (${member.id}) went silent; reconnecting`)
        context.events.handlers.memberChanged?.(member)
      }
      // Their side may have lost our session (they restarted): a fresh handshake, on a slow backoff.
      if (connection === 'reconnecting' && now - member.lastSeen >= REDIAL_AFTER_MS) {
        this.dialer.add(member.host, member.port, member.address, now, false, true)
      }
    }
  }

  private dial(now: number): void {
    const gaveUp = (gone: { address: string; port: number }): void => {
      this.context.logger.warn(`no answer from ${gone.address}; giving up joining`)
      this.joins.settle(
        gone.address,
        new JoinFailedError(
          `No answer from ${gone.address}. Is Parley running there, and is UDP ${gone.port} allowed through its firewall?`
        )
      )
    }
    for (const target of this.dialer.due(now, gaveUp)) {
      const member = this.membership.memberAt(target.address)
      if (member && !(target.reconnect && member.connection === 'reconnecting')) {
        this.dialer.remove(target.address)
        continue
      }
      this.handshakes.dial(target, now)
    }
  }

  private keepalives(now: number): void {
    const { context } = this
    this.lastKeepalive = now
    for (const member of this.membership.roster.values()) {
      if (shouldPing(member, context.localId, now)) {
        member.lastPingAt = now
        context.send.sealed(member, nextPing(member, this.nonce++, wallClock()))
      }
      if (!member.peerAccepted && now - member.verifiedAt >= KEEPALIVE_INTERVAL_MS)
        this.authenticator.sendTicket(member)
    }
    this.handshakes.retransmit(now)
  }

  private refreshRosters(now: number): void {
    const { roster } = this.membership
    this.lastRoster = now
    for (const member of roster.values()) {
      if (member.introduced && member.peerAccepted && now - member.verifiedAt < ROSTER_REFRESH_FOR_MS) {
        for (const page of roster.pages(member)) this.context.send.sealed(member, page)
      }
    }
  }

  private nextDueAt(): number {
    const { roster } = this.membership
    let next = this.dialer.nextAt()
    if (roster.size || this.handshakes.size) next = Math.min(next, this.nextKeepaliveAt)
    for (const member of roster.values()) {
      if (member.connection === 'connected') next = Math.min(next, member.lastSeen + RECONNECTING_AFTER_MS + 1)
    }
    next = Math.min(next, this.handshakes.nextExpiryAt())
    if (roster.size) next = Math.min(next, this.lastRoster + ROSTER_INTERVAL_MS)
    if (this.beaconTarget) next = Math.min(next, this.lastBeacon + BEACON_INTERVAL_MS)
    return next
  }
}
