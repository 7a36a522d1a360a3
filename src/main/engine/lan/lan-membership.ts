import type { RemoteInfo } from 'node:dgram'
import type { ControlMessageInput, RosterEntry } from '../transport/control-messages'
import { LOST_AFTER_MS } from '../transport/keepalive'
import { takeAuthState, type MemberAuthenticator } from '../transport/member-auth'
import type { LanContext } from './lan-context'
import type { LanDialer } from './lan-dialer'
import type { LanHandshakes } from './lan-handshakes'
import type { LanJoins } from './lan-joins'
import { moveTo, type LanPeer } from './lan-peer'
import { LanRoster, MAX_ROOM_MEMBERS, rosterPages } from './lan-roster'
import { addressKey } from './udp-address'

/**
 * Who is in the room and how they come and go: a verified peer is promoted to member, a member
 * back with a new session is renewed in place, one whose datagrams come from a new address is
 * followed there, and members are told of each other through rosters.
 */
export class LanMembership {
  readonly roster = new LanRoster()

  constructor(
    private readonly context: LanContext,
    private readonly handshakes: LanHandshakes,
    private readonly dialer: LanDialer,
    private readonly joins: LanJoins,
    private readonly authenticator: MemberAuthenticator
  ) {}

  /** Their ticket verified: they are a member now (in place of an earlier session of the same key). */
  promote(peer: LanPeer): void {
    const { context, roster } = this
    if (this.handshakes.get(peer.address) !== peer) return
    const earlier = roster.get(peer.id)
    if (earlier && earlier.session.sameRunAs(peer.session)) {
      this.renew(earlier, peer)
      return
    }
    if (!earlier && roster.size >= MAX_ROOM_MEMBERS - 1) {
      context.logger.warn(`${peer.name} (${peer.id}) could not join: the room is full`)
      context.stats.dropped.refused++
      this.handshakes.forget(peer)
      return
    }
    this.handshakes.take(peer)
    // The same key in a new session (they restarted): its auth session, just begun, stays.
    if (earlier) this.remove(earlier, 'left', false)
    const atAddress = this.memberAt(peer.address)
    if (atAddress) this.remove(atAddress, 'left') // someone else restarted on that address
    const target = this.dialer.get(peer.address)
    peer.mergingThrough = target !== undefined && target.introduce && roster.size > 0
    this.dialer.remove(peer.address)
    const now = context.scheduler.now()
    peer.verifiedAt = now
    peer.lastSeen = now
    roster.add(peer)
    this.joins.settle(peer.address, null)
    context.logger.info(`${peer.name} (${peer.id}) joined from ${peer.address}`)
    context.events.handlers.memberJoined?.(peer)
    // One who joins through us learns of everyone (once they have verified us too: before, they
    // would drop it), and everyone learns of them. Members who met through a roster have both
    // heard of the room already: nothing to tell.
    if (peer.introduced) {
      this.sendRosterOnce(peer)
      const entry: ControlMessageInput = {
        kind: 'roster',
        members: [{ id: peer.id.toString(), name: peer.name, host: peer.host, port: peer.port }]
      }
      for (const member of roster.values())
        if (member !== peer && member.peerAccepted) context.send.sealed(member, entry)
    }
    context.wakeForKeepalive()
  }

  /** Heard from again, in the session we had. */
  reconnected(member: LanPeer): void {
    if (this.roster.get(member.id) !== member) return
    member.connection = 'connected'
    this.dialer.remove(member.address)
    this.context.logger.info(`${member.name} (${member.id}) is back`)
    this.context.events.handlers.memberChanged?.(member)
  }

  /** A member's datagrams, authenticated by their session, now come from `remote`. */
  roam(member: LanPeer, remote: RemoteInfo): void {
    const address = addressKey(remote.address, remote.port)
    this.context.logger.info(`${member.name} (${member.id}) moved from ${member.address} to ${address}`)
    this.dialer.remove(member.address)
    moveTo(member, remote.address, remote.port)
    this.context.events.handlers.memberChanged?.(member)
  }

  remove(member: LanPeer, reason: 'left' | 'timeout', endSession = true): void {
    if (this.roster.get(member.id) !== member) return
    this.roster.remove(member)
    if (endSession) this.authenticator.forget(member)
    else this.authenticator.abandon(member)
    const why = reason === 'left' ? 'left' : `was lost (silent for ${LOST_AFTER_MS / 60_000} minutes)`
    this.context.logger.info(`${member.name} (${member.id}) ${why}`)
    this.context.events.handlers.memberLeft?.(member, reason)
  }

  /** They said goodbye (a member), or gave up before becoming one. */
  left(peer: LanPeer): void {
    if (this.roster.get(peer.id) === peer) this.remove(peer, 'left')
    else this.handshakes.forget(peer)
  }

  /** A member's new name, live (a member's own: it came sealed in their session). */
  renamed(peer: LanPeer, name: string): void {
    if (this.roster.get(peer.id) !== peer || peer.name === name) return
    peer.name = name
    this.context.events.handlers.memberChanged?.(peer)
  }

  memberAt(address: string): LanPeer | undefined {
    for (const member of this.roster.values()) if (member.address === address) return member
    return undefined
  }

  /** A member or a handshake is at `address` already: nobody to dial there. */
  knows(address: string): boolean {
    return this.memberAt(address) !== undefined || this.handshakes.has(address)
  }

  /** Two rooms merging: the members of theirs we had not heard of, told to the members of ours. */
  passOn(from: LanPeer, entries: RosterEntry[]): void {
    const fresh = entries.filter(
      (entry) => entry.id !== this.context.localIdText && !this.knows(addressKey(entry.host, entry.port))
    )
    if (fresh.length === 0) return
    for (const member of this.roster.values()) {
      if (member !== from && member.peerAccepted)
        for (const page of rosterPages(fresh)) this.context.send.sealed(member, page)
    }
  }

  sendRosterOnce(peer: LanPeer): void {
    if (!peer.introduced || peer.rosterSent || !peer.peerAccepted || this.roster.get(peer.id) !== peer) return
    peer.rosterSent = true
    for (const page of this.roster.pages(peer)) this.context.send.sealed(peer, page)
  }

  /**
   * A member we had lost touch with, back with a new session from the same run of theirs: the
   * member (and what hangs on it, its speaker stream) stays; the new session, its auth state and
   * its address take over.
   */
  private renew(member: LanPeer, fresh: LanPeer): void {
    this.handshakes.take(fresh)
    this.authenticator.abandon(member)
    this.dialer.remove(member.address)
    this.dialer.remove(fresh.address)
    member.session = fresh.session
    takeAuthState(member, fresh)
    moveTo(member, fresh.host, fresh.port)
    member.lastSeen = this.context.scheduler.now()
    member.connection = 'connected'
    this.joins.settle(member.address, null)
    this.context.logger.info(`${member.name} (${member.id}) is back (a new session)`)
    this.context.events.handlers.memberChanged?.(member)
  }
}
