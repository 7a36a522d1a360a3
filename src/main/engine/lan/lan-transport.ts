import { randomBytes } from 'node:crypto'
import type { RemoteInfo } from 'node:dgram'
import { Alarm, realScheduler, type Scheduler } from '../time/scheduler'
import type { Authentication, LanAuthBackend } from '../auth/authentication'
import { Handshake, newStaticKeyPair } from '../auth/handshake'
import { SessionCrypto } from '../auth/session-crypto'
import type { Logger } from '../logging/logger'
import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import { Admission, DEFAULT_ADMISSION, type AdmissionLimits } from './admission'
import {
  decodeControl,
  encodeControl,
  type ControlMessage,
  type ControlMessageInput,
  type RosterEntry
} from '../transport/control-messages'
import {
  connectionAfterSilence,
  heardPong,
  KEEPALIVE_INTERVAL_MS,
  LOST_AFTER_MS,
  nextPing,
  RECONNECTING_AFTER_MS,
  REDIAL_AFTER_MS,
  shouldPing,
  UNVERIFIED_TIMEOUT_MS
} from '../transport/keepalive'
import { LanDialer } from './lan-dialer'
import { JoinFailedError } from '../transport/room-link'
import { newLanPeer, type LanPeer } from './lan-peer'
import { LanRoster, MAX_ROOM_MEMBERS, rosterPages } from './lan-roster'
import { MemberAuthenticator } from '../transport/member-auth'
import {
  newTransportStats,
  voiceIsFrom,
  type RoomTransport,
  type TransportHandlers,
  type TransportMember,
  type TransportStats,
  type RoomConnection
} from '../transport/room-transport'
import { addressKey } from './udp-address'
import { UdpEndpoint } from './udp-endpoint'
import { VoiceDatagramFitter } from '../transport/voice-datagram-fitter'
import {
  DatagramWriter,
  FLAG_SEALED,
  MAX_PAYLOAD_BYTES,
  parseDatagram,
  SEAL_OVERHEAD,
  toWallClock,
  wallClock,
  HANDSHAKE_PREFIX_BYTES,
  WIRE_CONTROL,
  WIRE_HANDSHAKE,
  WIRE_VOICE,
  WireView,
  type WireType
} from '../transport/wire-protocol'

export { KEEPALIVE_INTERVAL_MS, LOST_AFTER_MS, RECONNECTING_AFTER_MS } from '../transport/keepalive'
export { addressKey } from './udp-address'

const BEACON_INTERVAL_MS = 2000
/** Handshakes in progress at once, in all and from one IP: strangers cannot hold more than this. */
const MAX_PENDING = 256
const MAX_PENDING_PER_IP = MAX_ROOM_MEMBERS
/** For this long after someone joins through us, they get the whole roster again now and then (a lost page is made good). */
const ROSTER_REFRESH_FOR_MS = 12_000
const ROSTER_INTERVAL_MS = 4000
/**
 * What a peer whose session is set up but whose ticket is not yet verified may send: the ticket
 * exchange, keepalives (so neither side times out while the other is still checking), goodbye.
 */
const BEFORE_VERIFIED = new Set<ControlMessage['kind']>(['auth', 'auth-ok', 'ping', 'pong', 'leave'])
/** How long the higher id of a new pair waits to be dialled before dialling itself. */
const DIAL_SECOND_MS = 1500

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
 * in three steps, each in its own file: a Noise handshake with them (handshake.ts), their ticket,
 * bound to that handshake, verified inside the session it made (member-auth.ts), and then the
 * roster, which tells both sides whom else to dial (lan-roster.ts, lan-dialer.ts). Until then
 * they are a pending peer: not shown, not told of, not heard, and forgotten after 5 s.
 */
export class LanTransport implements RoomTransport {
  readonly stats: TransportStats = newTransportStats()
  private readonly roster = new LanRoster()
  /** Everyone not (yet) a member, by address: handshakes in progress and tickets being checked. */
  private readonly pending = new Map<string, LanPeer>()
  private readonly pendingPerIp = new Map<string, number>()
  private readonly dialer = new LanDialer()
  /** Who waits on a join(), by the address dialled. */
  private readonly joinWaiters = new Map<string, Array<{ resolve(): void; reject(error: Error): void }>>()
  private readonly admission: Admission
  private handlers: TransportHandlers = {}
  private readonly view = new WireView()
  private readonly writer: DatagramWriter
  private readonly voiceFitter: VoiceDatagramFitter
  private readonly handshakeScratch = new Uint8Array(HANDSHAKE_PREFIX_BYTES + 96)
  /** Ours for this run (who we are is proven by tickets, not by this key). */
  private readonly staticKeys = newStaticKeyPair()
  readonly localId: bigint
  private readonly localIdText: string
  private readonly localLow: number
  private readonly localHigh: number
  private readonly scheduler: Scheduler
  private readonly alarm: Alarm
  private readonly authenticator: MemberAuthenticator
  private lastKeepalive = -Infinity
  private lastBeacon = -Infinity
  private lastRoster = 0
  private nonce = 1
  private closed = false
  /** Ours, as others see it: it changes live (setName). */
  private name: string

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly options: LanTransportOptions
  ) {
    this.localId = options.auth.localId
    this.localIdText = this.localId.toString()
    this.name = options.name
    const { low, high } = splitSteamId(this.localId)
    this.localLow = low
    this.localHigh = high
    this.scheduler = options.scheduler ?? realScheduler
    this.alarm = new Alarm(this.scheduler, () => this.tick())
    this.writer = new DatagramWriter(low, high)
    this.voiceFitter = new VoiceDatagramFitter(low, high, MAX_PAYLOAD_BYTES - SEAL_OVERHEAD, this.sendVoiceDatagram)
    this.admission = new Admission(options.admission ?? DEFAULT_ADMISSION)
    this.authenticator = new MemberAuthenticator(
      options.auth,
      options.logger,
      (peer, message) => this.sendSealed(peer as LanPeer, message),
      (peer) => {
        if (this.roster.get(peer.id) === peer) this.handlers.memberChanged?.(peer)
      },
      (id) => this.roster.get(id),
      (peer) =>
        this.dialer.get((peer as LanPeer).address)?.introduce
          ? { name: this.name, introduce: true }
          : { name: this.name }
    )
    endpoint.onDatagram(this.onDatagram, () => this.stats.dropped.errors++)
    this.tick()
  }

  static async open(options: LanTransportOptions): Promise<LanTransport> {
    const endpoint = await UdpEndpoint.open(options.host, options.port, options.logger)
    if (options.beaconTarget) endpoint.setBroadcast(true) // a network's broadcast address needs it too
    return new LanTransport(endpoint, options)
  }

  get members(): ReadonlyMap<bigint, TransportMember> {
    return this.roster.members
  }

  /** The address we listen on, as others should dial it. */
  get address(): { host: string; port: number } {
    return this.endpoint.address
  }

  /** Sends dropped because too many were waiting in the kernel. */
  get sendDropped(): number {
    return this.endpoint.sendDropped
  }

  /** Handshakes and tickets in progress (strangers included): bounded by MAX_PENDING. */
  get pendingCount(): number {
    return this.pending.size
  }

  setHandlers(handlers: TransportHandlers): void {
    this.handlers = handlers
  }

  /**
   * Asks the member at host:port to let us in; retried until they answer or 10 s pass. Resolves
   * once they are a verified member; rejects with JoinFailedError (a sentence for the player) when
   * nobody answered, or the join was cancelled.
   */
  join(host: string, port: number): Promise<void> {
    const address = addressKey(host, port)
    if (this.isMemberAt(address)) return Promise.resolve()
    this.dialer.add(host, port, address, 0, true)
    const first = this.joinWaiters.size === 0
    const outcome = new Promise<void>((resolve, reject) => {
      const waiters = this.joinWaiters.get(address) ?? []
      waiters.push({ resolve, reject })
      this.joinWaiters.set(address, waiters)
    })
    if (first) this.handlers.roomChanged?.()
    this.tick()
    return outcome
  }

  /** A LAN room is ours as long as the socket is: it is only "connecting" while we join another. */
  get connection(): RoomConnection {
    return { state: this.joinWaiters.size > 0 ? 'connecting' : 'connected', problem: null }
  }

  /** Our new name: every member sees it at once, and beacons and introductions carry it from now on. */
  setName(name: string): void {
    this.name = name
    for (const member of this.roster.values()) this.sendSealed(member, { kind: 'hello', name, protocol: 2 })
  }

  /** Stops every join in progress: they fail with "cancelled". */
  cancelJoins(): void {
    for (const address of [...this.joinWaiters.keys()]) {
      const target = this.dialer.get(address)
      if (target?.introduce) this.dialer.remove(address)
      this.settleJoin(address, new JoinFailedError(`Stopped joining ${address}.`))
    }
  }

  private settleJoin(address: string, failure: JoinFailedError | null): void {
    const waiters = this.joinWaiters.get(address)
    if (!waiters) return
    this.joinWaiters.delete(address)
    if (this.joinWaiters.size === 0) this.handlers.roomChanged?.()
    for (const waiter of waiters) {
      if (failure) waiter.reject(failure)
      else waiter.resolve()
    }
  }

  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean {
    if (this.roster.size === 0 || this.closed) return true
    if (this.voiceFitter.send(packet, length, capturedAt)) return true
    this.stats.unsent.tooBig++
    return false
  }

  /** One voice datagram, sealed for each member who has verified us. */
  private readonly sendVoiceDatagram = (packet: Uint8Array, length: number, capturedAt: number): void => {
    // One packet, one sequence number, whoever it goes to: each receiver sees every number.
    const sequence = this.writer.next(WIRE_VOICE)
    const timestamp = toWallClock(capturedAt)
    for (const member of this.roster.values()) {
      if (!member.peerAccepted) continue // they would drop it: they have not verified us yet
      const buffer = this.endpoint.lend()
      if (!buffer) {
        this.stats.unsent.refused++
        continue
      }
      const size = this.writer.writeSealed(
        buffer.bytes,
        WIRE_VOICE,
        sequence,
        timestamp,
        packet,
        length,
        member.crypto!
      )
      this.endpoint.transmit(buffer, size, member.host, member.port)
      if (size > 0) this.stats.sent++
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.alarm.cancel()
    for (const address of [...this.joinWaiters.keys()])
      this.settleJoin(address, new JoinFailedError('Parley is closing.'))
    // Say goodbye, and let those datagrams leave before the socket goes.
    await Promise.all(
      [...this.roster.values()].map(
        (member) => new Promise<void>((resolve) => this.sendSealed(member, { kind: 'leave' }, resolve))
      )
    )
    await this.endpoint.close()
    this.authenticator.close()
  }

  // ---- sending ----

  private sendSealed(peer: LanPeer, message: ControlMessageInput, sent?: () => void): void {
    const buffer = peer.crypto && !this.endpoint.isClosed ? this.endpoint.lend() : null
    if (!buffer) return sent?.()
    const payload = encodeControl(message)
    const sequence = this.writer.next(WIRE_CONTROL)
    const size = this.writer.writeSealed(
      buffer.bytes,
      WIRE_CONTROL,
      sequence,
      wallClock(),
      payload,
      payload.length,
      peer.crypto!
    )
    this.endpoint.transmit(buffer, size, peer.host, peer.port, sent)
    if (size > 0) this.stats.sent++
    else {
      this.stats.unsent.tooBig++
      this.options.logger.error(`a ${message.kind} message of ${payload.length} bytes does not fit a datagram`)
    }
  }

  private sendClear(type: WireType, host: string, port: number, payload: Uint8Array, length: number): void {
    const buffer = this.endpoint.lend()
    if (!buffer) return
    const size = this.writer.write(buffer.bytes, type, this.writer.next(type), wallClock(), payload, length)
    this.endpoint.transmit(buffer, size, host, port)
    if (size > 0) this.stats.sent++
  }

  /** Our last handshake message to `peer` (again, if it was lost). */
  private sendHandshake(peer: LanPeer): void {
    const message = peer.handshake.lastSent
    if (!message) return
    const step = peer.handshake.initiator ? (peer.handshake.complete ? 3 : 1) : 2
    const scratch = this.handshakeScratch
    scratch[0] = step
    scratch[1] = peer.exchange & 0xff
    scratch[2] = (peer.exchange >>> 8) & 0xff
    scratch[3] = (peer.exchange >>> 16) & 0xff
    scratch[4] = (peer.exchange >>> 24) & 0xff
    scratch.set(message, HANDSHAKE_PREFIX_BYTES)
    this.sendClear(WIRE_HANDSHAKE, peer.host, peer.port, scratch, HANDSHAKE_PREFIX_BYTES + message.length)
  }

  // ---- receiving: one datagram, accepted or dropped and counted ----

  private readonly onDatagram = (message: Buffer, remote: RemoteInfo): void => {
    const view = this.view
    if (this.closed) return
    if (!parseDatagram(message, message.length, view)) {
      this.stats.dropped.malformed++
      return
    }
    if (view.senderLow === this.localLow && view.senderHigh === this.localHigh) {
      this.stats.dropped.unauthenticated++ // our own id from elsewhere: a reflection or a forgery
      return
    }
    if (view.type === WIRE_HANDSHAKE) return this.onHandshake(message, remote)
    if (view.flags !== FLAG_SEALED) {
      // In the clear, only beacons, and those are for the DiscoveryListener.
      this.stats.dropped.unauthenticated++
      return
    }
    // The hot path (voice from a member) allocates nothing: the sender is found by the id's halves.
    let peer = this.roster.find(view.senderLow, view.senderHigh)
    const moved = peer !== undefined && (peer.port !== remote.port || peer.host !== remote.address)
    const replays = peer ? peer.crypto!.replays : 0
    let plain = peer ? peer.crypto!.open(message, view.payloadOffset, view.payloadLength) : null
    // A member's session from a new address (their Wi-Fi changed): only the session's keys can make
    // this, and a replay of something old is refused by its window, so they are followed there.
    if (plain && moved) this.roam(peer!, remote)
    if (!plain) {
      // Not from a member's session: perhaps from one being set up at that address (a newcomer, or a member who restarted).
      const candidate = this.pending.get(addressKey(remote.address, remote.port))
      if (candidate?.crypto && candidate.idLow === view.senderLow && candidate.idHigh === view.senderHigh) {
        plain = candidate.crypto.open(message, view.payloadOffset, view.payloadLength)
        if (plain) peer = candidate
      }
      if (!plain) {
        // A replay and a network duplicate look the same, by design: both count as duplicates.
        if (peer && peer.crypto!.replays > replays) this.stats.dropped.duplicate++
        else this.stats.dropped.unauthenticated++
        return
      }
    }
    peer = peer!
    peer.lastSeen = this.scheduler.now()
    peer.confirmed = true
    if (peer.connection !== 'connected') this.reconnected(peer)
    if (view.type === WIRE_VOICE) {
      if (peer.auth !== 'verified' || !voiceIsFrom(plain, 0, plain.length, view.senderLow, view.senderHigh)) {
        this.stats.dropped.unauthenticated++
        return
      }
      this.stats.received++
      this.handlers.voice?.(peer, view.sequence, plain, 0, plain.length, view.timestamp)
      return
    }
    const control = decodeControl(plain, 0, plain.length)
    if (!control) {
      this.stats.dropped.malformed++
      return
    }
    if (peer.auth !== 'verified' && !BEFORE_VERIFIED.has(control.kind)) {
      this.stats.dropped.unauthenticated++ // before their ticket verifies, only the ticket exchange and keepalives
      return
    }
    this.stats.received++
    this.onControl(peer, control)
  }

  private onHandshake(message: Buffer, remote: RemoteInfo): void {
    const view = this.view
    if (view.payloadLength < HANDSHAKE_PREFIX_BYTES + 1) {
      this.stats.dropped.malformed++
      return
    }
    const at = view.payloadOffset
    const step = message[at]
    const exchange = message.readUInt32LE(at + 1)
    const body = message.subarray(at + HANDSHAKE_PREFIX_BYTES, at + view.payloadLength)
    const address = addressKey(remote.address, remote.port)
    const now = this.scheduler.now()
    const existing = this.pending.get(address)
    const sameClaim = existing !== undefined && existing.idLow === view.senderLow && existing.idHigh === view.senderHigh
    const sameExchange = existing !== undefined && existing.exchange === exchange
    // A late copy of a handshake that already made a member: nothing to do.
    if (!sameExchange && this.memberAt(address)?.exchange === exchange) {
      this.stats.received++
      return
    }

    if (step === 1) {
      if (existing && !existing.handshake.initiator && sameClaim && sameExchange) {
        this.sendHandshake(existing) // our answer was lost: the same answer again
        return
      }
      if (existing?.handshake.initiator && !existing.handshake.complete) {
        // Both dialled at once: the lower id keeps dialling, the other answers.
        const ours = splitSteamId(this.localId)
        const weAreLower = ours.high < view.senderHigh || (ours.high === view.senderHigh && ours.low < view.senderLow)
        if (weAreLower) {
          this.stats.received++ // they will answer ours instead
          return
        }
      }
      if (!this.mayStartHandshake(remote.address, now, existing)) return
      const handshake = Handshake.respond(body, this.staticKeys)
      if (!handshake) {
        this.stats.dropped.malformed++
        return
      }
      if (existing) this.forgetPending(existing)
      const peer = newLanPeer(
        remote.address,
        remote.port,
        address,
        view.senderLow,
        view.senderHigh,
        handshake,
        exchange,
        now
      )
      this.addPending(peer)
      this.sendHandshake(peer)
      this.stats.received++
      return
    }

    // Steps 2 and 3 continue the exchange we have with this address, from the id it began with.
    if (!existing || (step === 3 && !sameClaim) || (step === 2 && existing.id !== 0n && !sameClaim)) {
      this.stats.dropped.unauthenticated++
      return
    }
    const expected = existing.handshake.initiator ? 2 : 3
    if (step !== expected || !sameExchange || existing.handshake.complete) {
      this.stats.received++ // a retransmission, or an answer to an exchange we gave up on: nothing to do
      return
    }
    if (!existing.handshake.step(body)) {
      this.stats.dropped.unauthenticated++
      this.forgetPending(existing)
      return
    }
    this.stats.received++
    if (step === 2) {
      existing.idLow = view.senderLow
      existing.idHigh = view.senderHigh
      existing.id = joinSteamId(view.senderLow, view.senderHigh)
      this.sendHandshake(existing) // step 3
    } else {
      existing.confirmed = true // they sent the last message: they have the keys
    }
    this.sessionReady(existing)
  }

  /** The handshake is done: from here on everything between us is sealed; our ticket goes first. */
  private sessionReady(peer: LanPeer): void {
    const keys = peer.handshake.keys!
    peer.crypto = new SessionCrypto(keys.send, keys.receive)
    peer.binding = keys.binding
    peer.remoteStatic = keys.remoteStatic
    peer.lastSeen = this.scheduler.now()
    peer.stageStartedAt = peer.lastSeen
    this.authenticator.sendTicket(peer)
  }

  private onControl(peer: LanPeer, control: ControlMessage): void {
    switch (control.kind) {
      case 'auth':
        if (control.name) peer.name = control.name
        if (control.introduce) peer.introduced = true
        if (
          control.part
            ? this.authenticator.acceptPart(peer, control.ticket, control.part)
            : this.authenticator.accept(peer, control.ticket)
        )
          this.promote(peer)
        else if (peer.auth !== 'verified' && peer.auth !== 'verifying') this.forgetPending(peer)
        return
      case 'auth-ok':
        this.authenticator.acknowledged(peer)
        this.sendRosterOnce(peer)
        return
      case 'ping':
        this.sendSealed(peer, { kind: 'pong', nonce: control.nonce, at: wallClock() })
        return
      case 'pong':
        heardPong(peer, control.nonce, control.at, wallClock())
        return
      case 'leave':
        if (this.roster.get(peer.id) === peer) this.removeMember(peer, 'left')
        else this.forgetPending(peer)
        return
      case 'roster': {
        if (peer.mergingThrough) this.passOn(peer, control.members)
        // Both sides of a new pair hear of each other at about the same time; the lower id dials
        // first, the other waits a little to be dialled (both dialling works too, at twice the cost).
        const now = this.scheduler.now()
        for (const entry of control.members) {
          const address = addressKey(entry.host, entry.port)
          if (entry.id === this.localIdText || this.isMemberAt(address) || this.pending.has(address)) continue
          const theyAreLower =
            entry.id.length < this.localIdText.length ||
            (entry.id.length === this.localIdText.length && entry.id < this.localIdText)
          this.dialer.add(entry.host, entry.port, address, theyAreLower ? now + DIAL_SECOND_MS : now)
        }
        this.alarm.wakeAt(now) // one tick dials them all, however many rosters came
        return
      }
      case 'hello':
        // A member's new name, live (a member's own: it came sealed in their session).
        if (this.roster.get(peer.id) === peer && peer.name !== control.name) {
          peer.name = control.name
          this.handlers.memberChanged?.(peer)
        }
        return
      case 'beacon':
        this.stats.dropped.unauthenticated++ // the discovery port's: not ours
        return
    }
  }

  // ---- membership ----

  private mayStartHandshake(ip: string, now: number, replacing: LanPeer | undefined): boolean {
    const fromIp = (this.pendingPerIp.get(ip) ?? 0) - (replacing ? 1 : 0)
    if (
      (!replacing && this.pending.size >= MAX_PENDING) ||
      fromIp >= MAX_PENDING_PER_IP ||
      !this.admission.allow(ip, now)
    ) {
      this.stats.dropped.refused++
      return false
    }
    return true
  }

  private addPending(peer: LanPeer): void {
    this.pending.set(peer.address, peer)
    this.pendingPerIp.set(peer.host, (this.pendingPerIp.get(peer.host) ?? 0) + 1)
    // Its retransmissions and its expiry need the clock running.
    this.alarm.wakeAt(Math.max(this.scheduler.now() + 1, this.lastKeepalive + KEEPALIVE_INTERVAL_MS))
  }

  private forgetPending(peer: LanPeer): void {
    if (this.takePending(peer)) this.authenticator.abandon(peer)
  }

  /** Out of the pending set (forgotten, or now a member); false if it was not there. */
  private takePending(peer: LanPeer): boolean {
    if (this.pending.get(peer.address) !== peer) return false
    this.pending.delete(peer.address)
    const left = (this.pendingPerIp.get(peer.host) ?? 1) - 1
    if (left > 0) this.pendingPerIp.set(peer.host, left)
    else this.pendingPerIp.delete(peer.host)
    return true
  }

  /** Their ticket verified: they are a member now (in place of an earlier session of the same key). */
  private promote(peer: LanPeer): void {
    if (this.pending.get(peer.address) !== peer) return
    const earlier = this.roster.get(peer.id)
    if (earlier && sameBytes(earlier.remoteStatic, peer.remoteStatic)) {
      this.renew(earlier, peer)
      return
    }
    if (!earlier && this.roster.size >= MAX_ROOM_MEMBERS - 1) {
      this.options.logger.warn(`${peer.name} (${peer.id}) could not join: the room is full`)
      this.stats.dropped.refused++
      this.forgetPending(peer)
      return
    }
    this.takePending(peer)
    // The same key in a new session (they restarted): its auth session, just begun, stays.
    if (earlier) this.removeMember(earlier, 'left', false)
    const atAddress = this.memberAt(peer.address)
    if (atAddress) this.removeMember(atAddress, 'left') // someone else restarted on that address
    const target = this.dialer.get(peer.address)
    peer.mergingThrough = target !== undefined && target.introduce && this.roster.size > 0
    this.dialer.remove(peer.address)
    const now = this.scheduler.now()
    peer.verifiedAt = now
    peer.lastSeen = now
    this.roster.add(peer)
    this.settleJoin(peer.address, null)
    this.options.logger.info(`${peer.name} (${peer.id}) joined from ${peer.address}`)
    this.handlers.memberJoined?.(peer)
    // One who joins through us learns of everyone (once they have verified us too: before, they
    // would drop it), and everyone learns of them. Members who met through a roster have both
    // heard of the room already: nothing to tell.
    if (peer.introduced) {
      this.sendRosterOnce(peer)
      const entry: ControlMessageInput = {
        kind: 'roster',
        members: [{ id: peer.id.toString(), name: peer.name, host: peer.host, port: peer.port }]
      }
      for (const member of this.roster.values())
        if (member !== peer && member.peerAccepted) this.sendSealed(member, entry)
    }
    this.alarm.wakeAt(Math.max(now + 1, this.lastKeepalive + KEEPALIVE_INTERVAL_MS))
  }

  /**
   * A member we had lost touch with, back with a new session from the same run of theirs: the
   * member (and what hangs on it, its speaker stream) stays; the new session's keys, tickets and
   * address take over.
   */
  private renew(member: LanPeer, fresh: LanPeer): void {
    this.takePending(fresh)
    this.authenticator.abandon(member)
    this.dialer.remove(member.address)
    this.dialer.remove(fresh.address)
    member.handshake = fresh.handshake
    member.exchange = fresh.exchange
    member.crypto = fresh.crypto
    member.binding = fresh.binding
    member.ticket = fresh.ticket
    member.acceptedTicket = fresh.acceptedTicket
    member.peerAccepted = fresh.peerAccepted
    member.auth = fresh.auth
    member.confirmed = fresh.confirmed
    member.host = fresh.host
    member.port = fresh.port
    member.address = fresh.address
    member.lastSeen = this.scheduler.now()
    member.connection = 'connected'
    this.settleJoin(member.address, null)
    this.options.logger.info(`${member.name} (${member.id}) is back (a new session)`)
    this.handlers.memberChanged?.(member)
  }

  /** Heard from again, in the session we had. */
  private reconnected(member: LanPeer): void {
    if (this.roster.get(member.id) !== member) return
    member.connection = 'connected'
    this.dialer.remove(member.address)
    this.options.logger.info(`${member.name} (${member.id}) is back`)
    this.handlers.memberChanged?.(member)
  }

  /** A member's datagrams, authenticated by their session, now come from `remote`. */
  private roam(member: LanPeer, remote: RemoteInfo): void {
    const address = addressKey(remote.address, remote.port)
    this.options.logger.info(`${member.name} (${member.id}) moved from ${member.address} to ${address}`)
    this.dialer.remove(member.address)
    member.host = remote.address
    member.port = remote.port
    member.address = address
    this.handlers.memberChanged?.(member)
  }

  /** Two rooms merging: the members of theirs we had not heard of, told to the members of ours. */
  private passOn(from: LanPeer, entries: RosterEntry[]): void {
    const fresh = entries.filter(
      (entry) =>
        entry.id !== this.localIdText &&
        !this.isMemberAt(addressKey(entry.host, entry.port)) &&
        !this.pending.has(addressKey(entry.host, entry.port))
    )
    if (fresh.length === 0) return
    for (const member of this.roster.values()) {
      if (member !== from && member.peerAccepted) for (const page of rosterPages(fresh)) this.sendSealed(member, page)
    }
  }

  private sendRosterOnce(peer: LanPeer): void {
    if (!peer.introduced || peer.rosterSent || !peer.peerAccepted || this.roster.get(peer.id) !== peer) return
    peer.rosterSent = true
    for (const page of this.roster.pages(peer)) this.sendSealed(peer, page)
  }

  private removeMember(member: LanPeer, reason: 'left' | 'timeout', endSession = true): void {
    if (this.roster.get(member.id) !== member) return
    this.roster.remove(member)
    if (endSession) this.authenticator.forget(member)
    else this.authenticator.abandon(member)
    const why = reason === 'left' ? 'left' : `was lost (silent for ${LOST_AFTER_MS / 60_000} minutes)`
    this.options.logger.info(`${member.name} (${member.id}) ${why}`)
    this.handlers.memberLeft?.(member, reason)
  }

  private memberAt(address: string): LanPeer | undefined {
    for (const member of this.roster.values()) if (member.address === address) return member
    return undefined
  }

  private isMemberAt(address: string): boolean {
    return this.memberAt(address) !== undefined
  }

  // ---- time: dialling, retries, keepalives, expiry, beacons ----

  /** Everything due now; then one timer at the next thing due. */
  private tick(): void {
    if (this.closed) return
    const now = this.scheduler.now()
    for (const member of [...this.roster.values()]) {
      const connection = connectionAfterSilence(member, now)
      if (connection === 'lost') {
        this.dialer.remove(member.address)
        this.removeMember(member, 'timeout')
      } else if (connection !== member.connection) {
        member.connection = connection
        this.options.logger.info(`${member.name} (${member.id}) went silent; reconnecting`)
        this.handlers.memberChanged?.(member)
      }
      // Their side may have lost our session (they restarted): a fresh handshake, on a slow backoff.
      if (connection === 'reconnecting' && now - member.lastSeen >= REDIAL_AFTER_MS) {
        this.dialer.add(member.host, member.port, member.address, now, false, true)
      }
    }
    for (const peer of [...this.pending.values()])
      if (now - peer.stageStartedAt > UNVERIFIED_TIMEOUT_MS) this.forgetPending(peer)

    for (const target of this.dialer.due(now, (gone) => {
      this.options.logger.warn(`no answer from ${gone.address}; giving up joining`)
      this.settleJoin(
        gone.address,
        new JoinFailedError(
          `No answer from ${gone.address}. Is Parley running there, and is UDP ${gone.port} allowed through its firewall?`
        )
      )
    })) {
      const member = this.memberAt(target.address)
      if (member && !(target.reconnect && member.connection === 'reconnecting')) {
        this.dialer.remove(target.address)
        continue
      }
      let peer = this.pending.get(target.address)
      if (!peer) {
        if (this.pending.size >= MAX_PENDING) continue
        peer = newLanPeer(
          target.host,
          target.port,
          target.address,
          0,
          0,
          Handshake.initiate(this.staticKeys),
          randomBytes(4).readUInt32LE(0),
          now
        )
        peer.id = 0n
        this.addPending(peer)
      }
      if (peer.handshake.initiator && !peer.handshake.complete) this.sendHandshake(peer)
    }

    if (now - this.lastKeepalive >= KEEPALIVE_INTERVAL_MS) {
      this.lastKeepalive = now
      for (const member of this.roster.values()) {
        if (shouldPing(member, this.localId, now)) {
          member.lastPingAt = now
          this.sendSealed(member, nextPing(member, this.nonce++, wallClock()))
        }
        if (!member.peerAccepted && now - member.verifiedAt >= KEEPALIVE_INTERVAL_MS)
          this.authenticator.sendTicket(member)
      }
      // Handshakes whose last message may have been lost (not just sent): ours again, and our ticket.
      for (const peer of this.pending.values()) {
        if (!peer.crypto || now - peer.stageStartedAt < KEEPALIVE_INTERVAL_MS) continue
        if (peer.handshake.initiator && !peer.confirmed) this.sendHandshake(peer)
        if (!peer.peerAccepted) this.authenticator.sendTicket(peer)
      }
    }
    if (now - this.lastRoster >= ROSTER_INTERVAL_MS) {
      this.lastRoster = now
      for (const member of this.roster.values()) {
        if (member.introduced && member.peerAccepted && now - member.verifiedAt < ROSTER_REFRESH_FOR_MS) {
          for (const page of this.roster.pages(member)) this.sendSealed(member, page)
        }
      }
    }
    const beacon = this.options.beaconTarget
    if (beacon && now - this.lastBeacon >= BEACON_INTERVAL_MS) {
      this.lastBeacon = now
      const payload = encodeControl({
        kind: 'beacon',
        name: this.name,
        members: Math.min(this.roster.size + 1, MAX_ROOM_MEMBERS)
      })
      this.sendClear(WIRE_CONTROL, beacon.host, beacon.port, payload, payload.length)
    }

    let next = this.dialer.nextAt()
    if (this.roster.size || this.pending.size) next = Math.min(next, this.lastKeepalive + KEEPALIVE_INTERVAL_MS)
    for (const member of this.roster.values()) {
      if (member.connection === 'connected') next = Math.min(next, member.lastSeen + RECONNECTING_AFTER_MS + 1)
    }
    for (const peer of this.pending.values()) next = Math.min(next, peer.stageStartedAt + UNVERIFIED_TIMEOUT_MS + 1)
    if (this.roster.size) next = Math.min(next, this.lastRoster + ROSTER_INTERVAL_MS)
    if (beacon) next = Math.min(next, this.lastBeacon + BEACON_INTERVAL_MS)
    if (next < Infinity) this.alarm.wakeAt(Math.max(next, now + 1))
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (!a || !b || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
