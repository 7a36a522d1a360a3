import type { RemoteInfo } from 'node:dgram'
import { decodeControl, type ControlMessage } from '../transport/control-messages'
import { heardPong } from '../transport/keepalive'
import type { MemberAuthenticator } from '../transport/member-auth'
import { voiceIsFrom } from '../transport/room-transport'
import { FLAG_SEALED, parseDatagram, wallClock, WIRE_HANDSHAKE, WIRE_VOICE, WireView } from '../transport/wire-protocol'
import type { LanContext } from './lan-context'
import type { LanDialer } from './lan-dialer'
import type { LanHandshakes } from './lan-handshakes'
import type { LanMembership } from './lan-membership'
import type { LanPeer } from './lan-peer'
import { addressKey } from './udp-address'

/**
 * What a peer whose session is set up but whose ticket is not yet verified may send: the ticket
 * exchange, keepalives (so neither side times out while the other is still checking), goodbye.
 */
const BEFORE_VERIFIED = new Set<ControlMessage['kind']>(['auth', 'auth-ok', 'ping', 'pong', 'leave'])
/** How long the higher id of a new pair waits to be dialled before dialling itself. */
const DIAL_SECOND_MS = 1500

/** Every datagram that reaches the room's socket: accepted and routed, or dropped and counted. */
export class LanReceiver {
  private readonly view = new WireView()

  constructor(
    private readonly context: LanContext,
    private readonly handshakes: LanHandshakes,
    private readonly membership: LanMembership,
    private readonly dialer: LanDialer,
    private readonly authenticator: MemberAuthenticator
  ) {}

  readonly onDatagram = (message: Buffer, remote: RemoteInfo): void => {
    const { context, view } = this
    const { stats } = context
    if (context.closed) return
    if (!parseDatagram(message, message.length, view)) {
      stats.dropped.malformed++
      return
    }
    if (view.senderLow === context.localLow && view.senderHigh === context.localHigh) {
      stats.dropped.unauthenticated++ // our own id from elsewhere: a reflection or a forgery
      return
    }
    if (view.type === WIRE_HANDSHAKE) return this.handshakes.receive(message, view, remote)
    if (view.flags !== FLAG_SEALED) {
      // In the clear, only beacons, and those are for the DiscoveryListener.
      stats.dropped.unauthenticated++
      return
    }
    // The hot path (voice from a member) allocates nothing: the sender is found by the id's halves.
    let peer = this.membership.roster.find(view.senderLow, view.senderHigh)
    const moved = peer !== undefined && (peer.port !== remote.port || peer.host !== remote.address)
    const replays = peer ? peer.session.crypto!.replays : 0
    let plain = peer ? peer.session.crypto!.open(message, view.payloadOffset, view.payloadLength) : null
    // A member's session from a new address (their Wi-Fi changed): only the session's keys can make
    // this, and a replay of something old is refused by its window, so they are followed there.
    if (plain && moved) this.membership.roam(peer!, remote)
    if (!plain) {
      // Not from a member's session: perhaps from one being set up at that address (a newcomer, or a member who restarted).
      const candidate = this.handshakes.get(addressKey(remote.address, remote.port))
      const crypto = candidate?.session.crypto
      if (crypto && candidate!.idLow === view.senderLow && candidate!.idHigh === view.senderHigh) {
        plain = crypto.open(message, view.payloadOffset, view.payloadLength)
        if (plain) peer = candidate
      }
      if (!plain) {
        // A replay and a network duplicate look the same, by design: both count as duplicates.
        if (peer && peer.session.crypto!.replays > replays) stats.dropped.duplicate++
        else stats.dropped.unauthenticated++
        return
      }
    }
    peer = peer!
    peer.lastSeen = context.scheduler.now()
    peer.session.confirmed = true
    if (peer.connection !== 'connected') this.membership.reconnected(peer)
    if (view.type === WIRE_VOICE) {
      if (peer.auth !== 'verified' || !voiceIsFrom(plain, 0, plain.length, view.senderLow, view.senderHigh)) {
        stats.dropped.unauthenticated++
        return
      }
      stats.received++
      context.events.handlers.voice?.(peer, view.sequence, plain, 0, plain.length, view.timestamp)
      return
    }
    const control = decodeControl(plain, 0, plain.length)
    if (!control) {
      stats.dropped.malformed++
      return
    }
    if (peer.auth !== 'verified' && !BEFORE_VERIFIED.has(control.kind)) {
      stats.dropped.unauthenticated++ // before their ticket verifies, only the ticket exchange and keepalives
      return
    }
    stats.received++
    this.onControl(peer, control)
  }

  private onControl(peer: LanPeer, control: ControlMessage): void {
    const { membership, authenticator, context } = this
    switch (control.kind) {
      case 'auth':
        if (control.name) peer.name = control.name
        if (control.introduce) peer.introduced = true
        if (
          control.part
            ? authenticator.acceptTicketPart(peer, control.ticket, control.part)
            : authenticator.acceptTicket(peer, control.ticket)
        )
          membership.promote(peer)
        else if (peer.auth !== 'verified' && peer.auth !== 'verifying') this.handshakes.forget(peer)
        return
      case 'auth-ok':
        authenticator.acknowledged(peer)
        membership.sendRosterOnce(peer)
        return
      case 'ping':
        context.send.sealed(peer, { kind: 'pong', nonce: control.nonce, at: wallClock() })
        return
      case 'pong':
        heardPong(peer, control.nonce, control.at, wallClock())
        return
      case 'leave':
        membership.left(peer)
        return
      case 'roster': {
        if (peer.mergingThrough) membership.passOn(peer, control.members)
        // Both sides of a new pair hear of each other at about the same time; the lower id dials
        // first, the other waits a little to be dialled (both dialling works too, at twice the cost).
        const now = context.scheduler.now()
        const ours = context.localIdText
        for (const entry of control.members) {
          const address = addressKey(entry.host, entry.port)
          if (entry.id === ours || membership.knows(address)) continue
          const theyAreLower = entry.id.length < ours.length || (entry.id.length === ours.length && entry.id < ours)
          this.dialer.add(entry.host, entry.port, address, theyAreLower ? now + DIAL_SECOND_MS : now)
        }
        context.wakeAt(now) // one tick dials them all, however many rosters came
        return
      }
      case 'hello':
        membership.renamed(peer, control.name)
        return
      case 'beacon':
        context.stats.dropped.unauthenticated++ // the discovery port's: not ours
        return
    }
  }
}
