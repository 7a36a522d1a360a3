import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import { Alarm, realScheduler, type Scheduler } from '../time/scheduler'
import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import type { Authentication, LanAuthBackend } from '../auth/authentication'
import { SessionCrypto } from '../auth/session-crypto'
import type { Logger } from '../logging/logger'
import { decodeControl, encodeControl, type ControlMessage } from './control-messages'
import { MemberAuthenticator, newMemberAuthState, type AuthenticatedMember } from './member-auth'
import {
  newTransportStats,
  updateClockOffset,
  voiceIsFrom,
  type TransportMember,
  type RoomTransport,
  type TransportHandlers,
  type TransportStats
} from './room-transport'
import {
  DatagramWriter,
  FLAG_SEALED,
  MAX_DATAGRAM_BYTES,
  parseDatagram,
  toWallClock,
  wallClock,
  WIRE_CONTROL,
  WIRE_VOICE,
  WireView,
  type WireType
} from './wire-protocol'

export const KEEPALIVE_INTERVAL_MS = 800
/** Member lists are re-exchanged this often, so joins that crossed each other still meet. */
const ROSTER_INTERVAL_MS = 5000
/** A member silent this long is gone. */
export const MEMBER_TIMEOUT_MS = 2500
const BEACON_INTERVAL_MS = 2000
const JOIN_RETRY_MS = 500
const JOIN_ATTEMPTS = 20
/** dgram keeps a reference to a buffer until the send completes, so sends rotate through a ring. */
const SEND_RING = 256

export interface LanTransportOptions {
  localId: bigint
  name: string
  host: string
  port: number
  logger: Logger
  scheduler?: Scheduler
  /** Where to send discovery beacons ("a room is here"), if anywhere. */
  beaconTarget?: { host: string; port: number } | null
  /**
   * Tickets before voice, and sealed datagrams after: with it, a member's voice plays only
   * once their ticket is accepted, and everything they send afterwards must be sealed.
   */
  auth?: Authentication<LanAuthBackend>
}

/** What may still arrive in the clear from a member we share keys with: the handshake. */
const CLEAR_AFTER_SESSION = new Set(['hello', 'auth', 'auth-ok'])

interface LanMember extends AuthenticatedMember {
  address: string
  host: string
  port: number
  idLow: number
  idHigh: number
  lastSeen: number
  crypto: SessionCrypto | null
  /** The keepalive in flight: its nonce and when it left (wall clock). */
  pingNonce: number
  pingSentAt: number
  bestRttMs?: number
}

/**
 * The room over UDP: every member sends to every other (a full mesh). Joining is a hello to
 * any member, who answers with the others; keepalives every 800 ms; a silent member is dropped.
 */
export class LanTransport implements RoomTransport {
  readonly stats: TransportStats = newTransportStats()
  private readonly members_ = new Map<bigint, LanMember>()
  /** Members by the low half of their id: a datagram finds its sender without making a BigInt. */
  private readonly byLow = new Map<number, LanMember[]>()
  private readonly pendingJoins = new Map<string, { host: string; port: number; attempts: number; nextAt: number }>()
  private handlers: TransportHandlers = {}
  private readonly view = new WireView()
  private readonly writer: DatagramWriter
  private readonly ring = Array.from({ length: SEND_RING }, () => Buffer.alloc(MAX_DATAGRAM_BYTES))
  private ringIndex = 0
  private readonly localLow: number
  private readonly localHigh: number
  private readonly scheduler: Scheduler
  private readonly alarm: Alarm
  private lastKeepalive = 0
  private lastBeacon = -Infinity
  private lastRoster = 0
  private nonce = 1
  private closed = false
  private readonly authenticator: MemberAuthenticator | null

  private constructor(
    private readonly socket: Socket,
    private readonly options: LanTransportOptions
  ) {
    const { low, high } = splitSteamId(options.localId)
    this.localLow = low
    this.localHigh = high
    this.scheduler = options.scheduler ?? realScheduler
    this.alarm = new Alarm(this.scheduler, () => this.tick())
    this.writer = new DatagramWriter(low, high)
    this.authenticator = options.auth
      ? new MemberAuthenticator(
          options.auth,
          options.logger,
          (member, message) => this.sendControl((member as LanMember).host, (member as LanMember).port, message),
          (member) => this.handlers.memberChanged?.(member)
        )
      : null
    socket.on('message', this.onMessage)
    socket.on('error', (error) => options.logger.warn(`LAN socket error: ${error.message}`))
    socket.on('close', () => {
      this.closed = true
      this.alarm.cancel()
    })
    this.tick()
  }

  static async open(options: LanTransportOptions): Promise<LanTransport> {
    const socket = createSocket({ type: isIPv6(options.host) ? 'udp6' : 'udp4' })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    if (options.beaconTarget?.host === '255.255.255.255') socket.setBroadcast(true)
    return new LanTransport(socket, options)
  }

  get localId(): bigint {
    return this.options.localId
  }

  get members(): ReadonlyMap<bigint, TransportMember> {
    return this.members_
  }

  /** The address we listen on, as others should dial it. */
  get address(): { host: string; port: number } {
    const { address, port } = this.socket.address()
    return { host: address, port }
  }

  setHandlers(handlers: TransportHandlers): void {
    this.handlers = handlers
  }

  /** Asks the member at host:port to let us in; retried until they answer or 10 s pass. */
  join(host: string, port: number): void {
    this.pendingJoins.set(addressKey(host, port), { host, port, attempts: 0, nextAt: 0 })
    this.tick()
  }

  sendVoice(packet: Uint8Array, length: number, capturedAt: number): void {
    if (this.members_.size === 0 || this.closed) return
    // One packet, one sequence number, whoever it goes to: each receiver sees every number.
    const sequence = this.writer.next(WIRE_VOICE)
    const timestamp = toWallClock(capturedAt)
    if (this.options.auth) {
      // Sealed for each member with their own key; nobody gets our voice before the handshake.
      for (const member of this.members_.values()) {
        if (!member.crypto) continue
        const buffer = this.nextBuffer()
        const size = this.writer.writeSealed(buffer, WIRE_VOICE, sequence, timestamp, packet, length, member.crypto)
        if (size < 0) return
        this.socket.send(buffer, 0, size, member.port, member.host)
        this.stats.sent++
      }
      return
    }
    const buffer = this.nextBuffer()
    const size = this.writer.write(buffer, WIRE_VOICE, sequence, timestamp, packet, length)
    if (size < 0) return
    for (const member of this.members_.values()) {
      this.socket.send(buffer, 0, size, member.port, member.host)
      this.stats.sent++
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.alarm.cancel()
    // Say goodbye, and let those datagrams leave before the socket goes.
    await Promise.all(
      [...this.members_.values()].map(
        (member) =>
          new Promise<void>((resolve) => this.sendControl(member.host, member.port, { kind: 'leave' }, resolve))
      )
    )
    await new Promise<void>((resolve) => this.socket.close(() => resolve()))
    this.authenticator?.close()
  }

  private nextBuffer(): Buffer {
    this.ringIndex = (this.ringIndex + 1) % SEND_RING
    return this.ring[this.ringIndex]!
  }

  private sendControl(host: string, port: number, message: ControlMessage, sent?: () => void): void {
    if (this.closed) return sent?.()
    const payload = encodeControl(message)
    const buffer = this.nextBuffer()
    const crypto = CLEAR_AFTER_SESSION.has(message.kind) ? null : this.memberAt(addressKey(host, port))?.crypto
    const sequence = this.writer.next(WIRE_CONTROL)
    const now = wallClock()
    const size = crypto
      ? this.writer.writeSealed(buffer, WIRE_CONTROL as WireType, sequence, now, payload, payload.length, crypto)
      : this.writer.write(buffer, WIRE_CONTROL as WireType, sequence, now, payload, payload.length)
    if (size < 0) return sent?.()
    this.socket.send(buffer, 0, size, port, host, () => sent?.())
    this.stats.sent++
  }

  private memberAt(address: string): LanMember | undefined {
    for (const member of this.members_.values()) if (member.address === address) return member
    return undefined
  }

  /** Their ticket; once accepted, the pair's keys seal everything between us from then on. */
  private acceptTicket(member: LanMember, base64: string): void {
    const authenticator = this.authenticator
    if (!authenticator || !authenticator.accept(member, base64)) {
      if (member.auth !== 'verified') member.crypto = null
      return
    }
    const keys = this.options.auth!.backend.keysFor(member.ticket!.id, member.id)
    member.crypto = keys ? new SessionCrypto(keys.send, keys.receive) : null
  }

  /** Our member list, as a welcome: the receiver says hello to anyone on it it does not know. */
  private roster(except: bigint): ControlMessage {
    return {
      kind: 'welcome',
      name: this.options.name,
      members: [...this.members_.values()]
        .filter((m) => m.id !== except)
        .map((m) => ({ id: m.id.toString(), name: m.name, address: m.address }))
    }
  }

  private readonly onMessage = (message: Buffer, remote: RemoteInfo): void => {
    const view = this.view
    if (!parseDatagram(message, message.length, view)) {
      this.stats.dropped.malformed++
      return
    }
    if (view.senderLow === this.localLow && view.senderHigh === this.localHigh) {
      this.stats.dropped.unauthenticated++ // our own id from elsewhere: a reflection or a forgery
      return
    }
    // The hot path (voice from a member) allocates nothing: the sender is found by the id's halves.
    const member = this.memberById(view.senderLow, view.senderHigh)
    const known = member !== undefined && member.port === remote.port && member.host === remote.address

    // Sealed: only from a member we share keys with, and only once (tampered, forged or replayed: dropped).
    let bytes: Uint8Array = message
    let offset = view.payloadOffset
    let length = view.payloadLength
    if (view.flags === FLAG_SEALED) {
      const replaysBefore = member?.crypto?.replays ?? 0
      const plain = known && member.crypto ? member.crypto.open(message, offset, length) : null
      if (!plain) {
        // A replay and a network duplicate look the same, by design: both count as duplicates.
        if (member?.crypto && member.crypto.replays > replaysBefore) this.stats.dropped.duplicate++
        else this.stats.dropped.unauthenticated++
        return
      }
      bytes = plain
      offset = 0
      length = plain.length
    }
    const sealed = view.flags === FLAG_SEALED

    if (view.type === WIRE_VOICE) {
      const allowed =
        known &&
        (!this.options.auth || (member.auth === 'verified' && sealed)) &&
        voiceIsFrom(bytes, offset, length, view.senderLow, view.senderHigh)
      if (!allowed) {
        this.stats.dropped.unauthenticated++
        return
      }
      member.lastSeen = this.scheduler.now()
      this.stats.received++
      this.handlers.voice?.(member, view.sequence, bytes, offset, length, view.timestamp)
      return
    }

    const control = decodeControl(bytes, offset, length)
    if (!control) {
      this.stats.dropped.malformed++
      return
    }
    if (known && member.crypto && !sealed && !CLEAR_AFTER_SESSION.has(control.kind)) {
      this.stats.dropped.unauthenticated++ // after the handshake, only the handshake may be in the clear
      return
    }
    // Only a hello, a welcome to our own join, or a beacon may come from someone not (yet) in the room.
    const address = addressKey(remote.address, remote.port)
    const joining = control.kind === 'hello' || (control.kind === 'welcome' && this.pendingJoins.has(address))
    if (!known && !joining && control.kind !== 'beacon') {
      this.stats.dropped.unauthenticated++
      return
    }
    if (member && !known && joining) {
      this.stats.dropped.unauthenticated++ // someone else claiming a member's id
      return
    }
    this.stats.received++
    this.handleControl(control, joinSteamId(view.senderLow, view.senderHigh), remote, address)
  }

  private memberById(low: number, high: number): LanMember | undefined {
    const candidates = this.byLow.get(low)
    if (!candidates) return undefined
    for (let i = 0; i < candidates.length; i++) if (candidates[i]!.idHigh === high) return candidates[i]
    return undefined
  }

  private handleControl(control: ControlMessage, senderId: bigint, remote: RemoteInfo, address: string): void {
    const now = this.scheduler.now()
    switch (control.kind) {
      case 'hello': {
        this.admit(senderId, control.name, remote.address, remote.port, now)
        this.sendControl(remote.address, remote.port, this.roster(senderId))
        return
      }
      case 'welcome': {
        this.pendingJoins.delete(address)
        this.admit(senderId, control.name, remote.address, remote.port, now)
        for (const other of control.members) {
          const id = BigInt(other.id)
          if (id === this.options.localId || this.members_.has(id)) continue
          const { host, port } = splitAddress(other.address)
          if (!this.pendingJoins.has(other.address)) this.join(host, port)
        }
        return
      }
      case 'ping':
        this.members_.get(senderId)!.lastSeen = now
        this.sendControl(remote.address, remote.port, { kind: 'pong', nonce: control.nonce, at: wallClock() })
        return
      case 'pong': {
        const member = this.members_.get(senderId)!
        member.lastSeen = now
        if (control.nonce === member.pingNonce && member.pingSentAt > 0) {
          const receivedAt = wallClock()
          member.rttMs = Math.round((receivedAt - member.pingSentAt) * 10) / 10
          updateClockOffset(member, member.pingSentAt, control.at, receivedAt)
          member.pingSentAt = 0
        }
        return
      }
      case 'leave':
        this.remove(senderId, 'left')
        return
      case 'auth':
        this.acceptTicket(this.members_.get(senderId)!, control.ticket)
        return
      case 'auth-ok':
        this.authenticator?.acknowledged(this.members_.get(senderId)!)
        return
      case 'beacon':
        return // rooms are found by the DiscoveryListener, not by members
    }
  }

  private admit(id: bigint, name: string, host: string, port: number, now: number): void {
    const existing = this.members_.get(id)
    if (existing) {
      existing.lastSeen = now
      existing.name = name
      return
    }
    const { low, high } = splitSteamId(id)
    const member: LanMember = {
      id,
      name,
      address: addressKey(host, port),
      host,
      port,
      idLow: low,
      idHigh: high,
      lastSeen: now,
      rttMs: null,
      clockOffsetMs: 0,
      ...newMemberAuthState(this.authenticator !== null),
      crypto: null,
      pingNonce: 0,
      pingSentAt: 0
    }
    this.members_.set(id, member)
    this.alarm.wakeAt(Math.max(now + 1, this.lastKeepalive + KEEPALIVE_INTERVAL_MS))
    const sameLow = this.byLow.get(low)
    if (sameLow) sameLow.push(member)
    else this.byLow.set(low, [member])
    this.options.logger.info(`${name} (${id}) joined from ${member.address}`)
    this.handlers.memberJoined?.(member)
    // Tell everyone else, so the mesh closes even when joins cross.
    for (const other of this.members_.values())
      if (other.id !== id) this.sendControl(other.host, other.port, this.roster(other.id))
  }

  private remove(id: bigint, reason: 'left' | 'timeout'): void {
    const member = this.members_.get(id)
    if (!member) return
    this.members_.delete(id)
    const sameLow = this.byLow.get(member.idLow)!.filter((other) => other !== member)
    if (sameLow.length) this.byLow.set(member.idLow, sameLow)
    else this.byLow.delete(member.idLow)
    this.authenticator?.forget(member)
    this.options.logger.info(`${member.name} (${id}) ${reason === 'left' ? 'left' : 'timed out'}`)
    this.handlers.memberLeft?.(member, reason)
  }

  private retryJoins(): void {
    const now = this.scheduler.now()
    for (const [key, pending] of this.pendingJoins) {
      if (pending.attempts >= JOIN_ATTEMPTS) {
        this.pendingJoins.delete(key)
        this.options.logger.warn(`no answer from ${key}; giving up joining`)
      } else if (now >= pending.nextAt) {
        pending.attempts++
        pending.nextAt = now + JOIN_RETRY_MS
        this.sendControl(pending.host, pending.port, { kind: 'hello', name: this.options.name, protocol: 1 })
      }
    }
  }

  /** Everything due now; then one timer at the next thing due (keepalive, timeout, retry, beacon). */
  private tick(): void {
    if (this.closed) return
    const now = this.scheduler.now()
    for (const member of [...this.members_.values()]) {
      if (now - member.lastSeen > MEMBER_TIMEOUT_MS) this.remove(member.id, 'timeout')
    }
    if (now - this.lastKeepalive >= KEEPALIVE_INTERVAL_MS) {
      this.lastKeepalive = now
      for (const member of this.members_.values()) {
        member.pingNonce = this.nonce++ >>> 0
        member.pingSentAt = wallClock()
        this.sendControl(member.host, member.port, { kind: 'ping', nonce: member.pingNonce })
        if (!member.peerAccepted) this.authenticator?.sendTicket(member)
      }
    }
    if (this.pendingJoins.size) this.retryJoins()
    if (now - this.lastRoster >= ROSTER_INTERVAL_MS) {
      this.lastRoster = now
      for (const member of this.members_.values()) this.sendControl(member.host, member.port, this.roster(member.id))
    }
    const beacon = this.options.beaconTarget
    if (beacon && now - this.lastBeacon >= BEACON_INTERVAL_MS) {
      this.lastBeacon = now
      this.sendControl(beacon.host, beacon.port, {
        kind: 'beacon',
        name: this.options.name,
        members: this.members_.size + 1
      })
    }
    let next = this.members_.size ? this.lastKeepalive + KEEPALIVE_INTERVAL_MS : Infinity
    for (const member of this.members_.values()) next = Math.min(next, member.lastSeen + MEMBER_TIMEOUT_MS + 1)
    for (const pending of this.pendingJoins.values()) next = Math.min(next, pending.nextAt)
    if (this.members_.size) next = Math.min(next, this.lastRoster + ROSTER_INTERVAL_MS)
    if (beacon) next = Math.min(next, this.lastBeacon + BEACON_INTERVAL_MS)
    if (next < Infinity) this.alarm.wakeAt(Math.max(next, now + 1))
  }
}

export function addressKey(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`
}

export function splitAddress(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':')
  return { host: address.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(address.slice(index + 1)) }
}
