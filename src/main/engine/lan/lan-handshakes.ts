import { randomBytes } from 'node:crypto'
import type { RemoteInfo } from 'node:dgram'
import { Handshake, newStaticKeyPair } from '../auth/handshake'
import { joinSteamId } from '../../../shared/steam-id'
import { KEEPALIVE_INTERVAL_MS, UNVERIFIED_TIMEOUT_MS } from '../transport/keepalive'
import { HANDSHAKE_PREFIX_BYTES, type WireView } from '../transport/wire-protocol'
import { Admission, type AdmissionLimits } from './admission'
import type { LanContext } from './lan-context'
import type { DialTarget } from './lan-dialer'
import { LanSession, newLanPeer, type LanPeer } from './lan-peer'
import { MAX_ROOM_MEMBERS } from './lan-roster'
import { addressKey } from './udp-address'

/** Handshakes in progress at once, in all and from one IP: strangers cannot hold more than this. */
const MAX_PENDING = 256
const MAX_PENDING_PER_IP = MAX_ROOM_MEMBERS

/** What the handshakes need of the rest of the room. */
export interface HandshakeHooks {
  /** The member whose datagrams come from `address`, if any. */
  memberAt(address: string): LanPeer | undefined
  /** Our ticket to `peer`, in the session just made (or again, if lost). */
  sendTicket(peer: LanPeer): void
  /** `peer` never became a member: our ticket for them is retired. */
  abandon(peer: LanPeer): void
}

/**
 * Everyone not (yet) a member, by address: Noise XX handshakes in progress (handshake.ts) and,
 * once one completes, tickets being checked. Nobody here is shown, told of or heard, and whoever
 * has not become a member UNVERIFIED_TIMEOUT_MS after each stage began is forgotten.
 */
export class LanHandshakes {
  private readonly pending = new Map<string, LanPeer>()
  private readonly pendingPerIp = new Map<string, number>()
  private readonly admission: Admission
  /** Ours for this run (who we are is proven by tickets, not by this key). */
  private readonly staticKeys = newStaticKeyPair()

  constructor(
    private readonly context: LanContext,
    limits: AdmissionLimits,
    private readonly hooks: HandshakeHooks
  ) {
    this.admission = new Admission(limits)
  }

  get size(): number {
    return this.pending.size
  }

  get(address: string): LanPeer | undefined {
    return this.pending.get(address)
  }

  has(address: string): boolean {
    return this.pending.has(address)
  }

  /** A handshake datagram from `remote`, whose header is parsed into `view`: accepted or dropped and counted. */
  receive(message: Buffer, view: WireView, remote: RemoteInfo): void {
    const { stats } = this.context
    if (view.payloadLength < HANDSHAKE_PREFIX_BYTES + 1) {
      stats.dropped.malformed++
      return
    }
    const at = view.payloadOffset
    const step = message[at]
    const exchange = message.readUInt32LE(at + 1)
    const body = message.subarray(at + HANDSHAKE_PREFIX_BYTES, at + view.payloadLength)
    const address = addressKey(remote.address, remote.port)
    const now = this.context.scheduler.now()
    const existing = this.pending.get(address)
    const sameClaim = existing !== undefined && existing.idLow === view.senderLow && existing.idHigh === view.senderHigh
    const sameExchange = existing !== undefined && existing.session.exchange === exchange
    // A late copy of a handshake that already made a member: nothing to do.
    if (!sameExchange && this.hooks.memberAt(address)?.session.exchange === exchange) {
      stats.received++
      return
    }

    if (step === 1) {
      if (existing && !existing.session.handshake.initiator && sameClaim && sameExchange) {
        this.context.send.handshake(existing) // our answer was lost: the same answer again
        return
      }
      if (existing?.session.handshake.initiator && !existing.session.handshake.complete) {
        // Both dialled at once: the lower id keeps dialling, the other answers.
        const { localLow, localHigh } = this.context
        const weAreLower = localHigh < view.senderHigh || (localHigh === view.senderHigh && localLow < view.senderLow)
        if (weAreLower) {
          stats.received++ // they will answer ours instead
          return
        }
      }
      if (!this.mayStart(remote.address, now, existing)) return
      const handshake = Handshake.respond(body, this.staticKeys)
      if (!handshake) {
        stats.dropped.malformed++
        return
      }
      if (existing) this.forget(existing)
      const peer = newLanPeer(
        remote.address,
        remote.port,
        view.senderLow,
        view.senderHigh,
        new LanSession(handshake, exchange),
        now
      )
      this.add(peer)
      this.context.send.handshake(peer)
      stats.received++
      return
    }

    // Steps 2 and 3 continue the exchange we have with this address, from the id it began with.
    if (!existing || (step === 3 && !sameClaim) || (step === 2 && existing.id !== 0n && !sameClaim)) {
      stats.dropped.unauthenticated++
      return
    }
    const { handshake } = existing.session
    const expected = handshake.initiator ? 2 : 3
    if (step !== expected || !sameExchange || handshake.complete) {
      stats.received++ // a retransmission, or an answer to an exchange we gave up on: nothing to do
      return
    }
    if (!handshake.step(body)) {
      stats.dropped.unauthenticated++
      this.forget(existing)
      return
    }
    stats.received++
    if (step === 2) {
      existing.idLow = view.senderLow
      existing.idHigh = view.senderHigh
      existing.id = joinSteamId(view.senderLow, view.senderHigh)
      this.context.send.handshake(existing) // step 3
    } else {
      existing.session.confirmed = true // they sent the last message: they have the keys
    }
    this.sessionReady(existing)
  }

  /** A try at `target`: our first handshake message (again, while it goes unanswered). */
  dial(target: DialTarget, now: number): void {
    let peer = this.pending.get(target.address)
    if (!peer) {
      if (this.pending.size >= MAX_PENDING) return
      const session = new LanSession(Handshake.initiate(this.staticKeys), randomBytes(4).readUInt32LE(0))
      peer = newLanPeer(target.host, target.port, 0, 0, session, now)
      peer.id = 0n
      this.add(peer)
    }
    const { handshake } = peer.session
    if (handshake.initiator && !handshake.complete) this.context.send.handshake(peer)
  }

  /** Out of the pending set, with its ticket retired: it never became a member. */
  forget(peer: LanPeer): void {
    if (this.take(peer)) this.hooks.abandon(peer)
  }

  /** Out of the pending set (forgotten, or now a member); false if it was not there. */
  take(peer: LanPeer): boolean {
    if (this.pending.get(peer.address) !== peer) return false
    this.pending.delete(peer.address)
    const left = (this.pendingPerIp.get(peer.host) ?? 1) - 1
    if (left > 0) this.pendingPerIp.set(peer.host, left)
    else this.pendingPerIp.delete(peer.host)
    return true
  }

  /** Forgets whoever has spent too long in a stage. */
  expire(now: number): void {
    for (const peer of [...this.pending.values()])
      if (now - peer.stageStartedAt > UNVERIFIED_TIMEOUT_MS) this.forget(peer)
  }

  /** Handshakes whose last message may have been lost (not just sent): ours again, and our ticket. */
  retransmit(now: number): void {
    for (const peer of this.pending.values()) {
      const { session } = peer
      if (!session.crypto || now - peer.stageStartedAt < KEEPALIVE_INTERVAL_MS) continue
      if (session.handshake.initiator && !session.confirmed) this.context.send.handshake(peer)
      if (!peer.peerAccepted) this.hooks.sendTicket(peer)
    }
  }

  /** When the next pending peer expires (Infinity with none). */
  nextExpiryAt(): number {
    let next = Infinity
    for (const peer of this.pending.values()) next = Math.min(next, peer.stageStartedAt + UNVERIFIED_TIMEOUT_MS + 1)
    return next
  }

  private mayStart(ip: string, now: number, replacing: LanPeer | undefined): boolean {
    const fromIp = (this.pendingPerIp.get(ip) ?? 0) - (replacing ? 1 : 0)
    if (
      (!replacing && this.pending.size >= MAX_PENDING) ||
      fromIp >= MAX_PENDING_PER_IP ||
      !this.admission.allow(ip, now)
    ) {
      this.context.stats.dropped.refused++
      return false
    }
    return true
  }

  private add(peer: LanPeer): void {
    this.pending.set(peer.address, peer)
    this.pendingPerIp.set(peer.host, (this.pendingPerIp.get(peer.host) ?? 0) + 1)
    this.context.wakeForKeepalive() // its retransmissions and its expiry need the clock running
  }

  /** The handshake is done: from here on everything between us is sealed; our ticket goes first. */
  private sessionReady(peer: LanPeer): void {
    peer.binding = peer.session.open()
    peer.lastSeen = this.context.scheduler.now()
    peer.stageStartedAt = peer.lastSeen
    this.hooks.sendTicket(peer)
  }
}
