import type { Authentication } from '../auth/authentication'
import type { Logger } from '../logging/logger'
import { realScheduler, type Scheduler } from '../time/scheduler'
import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import { decodeControl, encodeControl, type ControlMessage } from './control-messages'
import { MemberAuthenticator, newMemberAuthState, type AuthenticatedMember } from './member-auth'
import {
  newTransportStats,
  voiceIsFrom,
  type TransportMember,
  type RoomTransport,
  type TransportHandlers,
  type TransportStats
} from './room-transport'
import {
  DatagramWriter,
  MAX_DATAGRAM_BYTES,
  parseDatagram,
  toWallClock,
  wallClock,
  WIRE_CONTROL,
  WIRE_VOICE,
  WireView
} from './wire-protocol'

/**
 * The part of steamworks.js (0.4) this transport uses, so tests can stand in for Steam.
 * Values mirror steamworks.js's const enums.
 */
export interface SteamworksApi {
  localplayer: { getSteamId(): { steamId64: bigint }; getName(): string }
  matchmaking: {
    createLobby(lobbyType: number, maxMembers: number): Promise<SteamLobby>
    joinLobby(lobbyId: bigint): Promise<SteamLobby>
  }
  networking: {
    sendP2PPacket(steamId64: bigint, sendType: number, data: Buffer): boolean
    isP2PPacketAvailable(): number
    readP2PPacket(size: number): { data: Buffer; size: number; steamId: { steamId64: bigint } }
    acceptP2PSession(steamId64: bigint): void
  }
  callback: { register(callback: number, handler: (value: never) => void): { disconnect(): void } }
}

export interface SteamLobby {
  id: bigint
  getMembers(): Array<{ steamId64: bigint }>
  leave(): void
  openInviteDialog(): void
}

export const LOBBY_FRIENDS_ONLY = 1
export const SEND_UNRELIABLE_NO_DELAY = 1
export const SEND_RELIABLE = 2
export const CALLBACK_LOBBY_CHAT_UPDATE = 5
export const CALLBACK_P2P_SESSION_REQUEST = 6
export const CALLBACK_GAME_LOBBY_JOIN_REQUESTED = 8
const MAX_LOBBY_MEMBERS = 16
/** Steam's own P2P queue is drained this often. */
const POLL_MS = 5
/** Our ticket is resent this often until a member accepts it. */
const TICKET_RESEND_MS = 1000

/**
 * The room as a Steam lobby: friends-only, invites through the overlay, membership from
 * Steam. Voice goes peer to peer (unreliable, no delay) to every member, control messages
 * reliably; P2P sessions are accepted only from members of our lobby.
 */
export class SteamLobbyTransport implements RoomTransport {
  readonly stats: TransportStats = newTransportStats()
  readonly localId: bigint
  private readonly members_ = new Map<bigint, AuthenticatedMember>()
  private readonly authenticator: MemberAuthenticator | null
  private lastResend = 0
  private handlers: TransportHandlers = {}
  private lobby: SteamLobby | null = null
  private readonly view = new WireView()
  private readonly writer: DatagramWriter
  private readonly out = Buffer.alloc(MAX_DATAGRAM_BYTES)
  private readonly localLow: number
  private readonly localHigh: number
  private readonly registrations: Array<{ disconnect(): void }> = []
  /** Session requests that came while our own join was still in flight. */
  private readonly pendingSessions = new Set<bigint>()
  private timer: unknown = null
  private readonly scheduler: Scheduler

  constructor(
    private readonly steam: SteamworksApi,
    private readonly logger: Logger,
    scheduler?: Scheduler,
    /** Auth session tickets before voice (Steam's, through the native addon, in the app). */
    auth?: Authentication
  ) {
    this.scheduler = scheduler ?? realScheduler
    this.authenticator = auth
      ? new MemberAuthenticator(
          auth,
          logger,
          (member, message) => this.sendControl(member.id, message),
          (member) => this.handlers.memberChanged?.(member)
        )
      : null
    this.localId = steam.localplayer.getSteamId().steamId64
    const { low, high } = splitSteamId(this.localId)
    this.localLow = low
    this.localHigh = high
    this.writer = new DatagramWriter(low, high)
    this.registrations.push(
      steam.callback.register(CALLBACK_LOBBY_CHAT_UPDATE, ((update: { lobby: bigint }) => {
        if (this.lobby && update.lobby === this.lobby.id) this.syncMembers()
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_P2P_SESSION_REQUEST, ((request: { remote: bigint }) => {
        this.onSessionRequest(request.remote)
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_GAME_LOBBY_JOIN_REQUESTED, ((request: { lobby_steam_id: bigint }) => {
        void this.join(request.lobby_steam_id)
      }) as (value: never) => void)
    )
    const poll = (): void => {
      this.drain()
      const now = this.scheduler.now()
      if (this.authenticator && now - this.lastResend >= TICKET_RESEND_MS) {
        this.lastResend = now
        this.authenticator.resendPending(this.members_.values())
      }
      this.timer = this.scheduler.setTimeout(poll, POLL_MS)
    }
    poll()
  }

  get members(): ReadonlyMap<bigint, TransportMember> {
    return this.members_
  }

  get lobbyId(): bigint | null {
    return this.lobby?.id ?? null
  }

  setHandlers(handlers: TransportHandlers): void {
    this.handlers = handlers
  }

  async create(): Promise<bigint> {
    this.leaveLobby()
    this.lobby = await this.steam.matchmaking.createLobby(LOBBY_FRIENDS_ONLY, MAX_LOBBY_MEMBERS)
    this.syncMembers()
    return this.lobby.id
  }

  async join(lobbyId: bigint): Promise<void> {
    this.leaveLobby()
    this.lobby = await this.steam.matchmaking.joinLobby(lobbyId)
    this.syncMembers()
  }

  invite(): void {
    this.lobby?.openInviteDialog()
  }

  sendVoice(packet: Uint8Array, length: number, capturedAt: number): void {
    if (this.members_.size === 0) return
    const size = this.writer.write(
      this.out,
      WIRE_VOICE,
      this.writer.next(WIRE_VOICE),
      toWallClock(capturedAt),
      packet,
      length
    )
    if (size < 0) return
    const datagram = this.out.subarray(0, size)
    for (const id of this.members_.keys()) {
      if (this.steam.networking.sendP2PPacket(id, SEND_UNRELIABLE_NO_DELAY, datagram)) this.stats.sent++
    }
  }

  async close(): Promise<void> {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer)
    this.timer = null
    for (const registration of this.registrations) registration.disconnect()
    this.leaveLobby()
    this.authenticator?.close()
  }

  /** Only members of our lobby get a session; one asking before our join completes waits for it. */
  private onSessionRequest(remote: bigint): void {
    const inLobby = this.lobby?.getMembers().some((m) => m.steamId64 === remote) ?? false
    if (this.members_.has(remote) || inLobby) {
      this.steam.networking.acceptP2PSession(remote)
      if (!this.members_.has(remote)) this.syncMembers()
    } else if (!this.lobby) {
      this.pendingSessions.add(remote)
    } else {
      this.stats.dropped.unauthenticated++
      this.logger.warn(`refused a P2P session from ${remote}: not in our lobby`)
    }
  }

  private sendControl(to: bigint, message: ControlMessage): void {
    const payload = encodeControl(message)
    const size = this.writer.write(
      this.out,
      WIRE_CONTROL,
      this.writer.next(WIRE_CONTROL),
      wallClock(),
      payload,
      payload.length
    )
    if (size > 0 && this.steam.networking.sendP2PPacket(to, SEND_RELIABLE, this.out.subarray(0, size)))
      this.stats.sent++
  }

  private leaveLobby(): void {
    if (!this.lobby) return
    this.lobby.leave()
    this.lobby = null
    for (const member of [...this.members_.values()]) this.remove(member)
  }

  /** Steam owns membership: whoever is in the lobby is in the room. */
  private syncMembers(): void {
    if (this.lobby) {
      // Anyone still waiting who did not turn up in the lobby is refused.
      const listed = new Set(this.lobby.getMembers().map((m) => m.steamId64))
      for (const remote of this.pendingSessions) {
        if (listed.has(remote)) continue
        this.pendingSessions.delete(remote)
        this.stats.dropped.unauthenticated++
      }
    }
    const present = new Set(
      (this.lobby?.getMembers() ?? []).map((m) => m.steamId64).filter((id) => id !== this.localId)
    )
    for (const member of [...this.members_.values()]) if (!present.has(member.id)) this.remove(member)
    for (const id of present) {
      if (this.members_.has(id)) continue
      const member: AuthenticatedMember = {
        id,
        name: id.toString(),
        rttMs: null,
        connection: 'connected',
        clockOffsetMs: 0,
        ...newMemberAuthState(this.authenticator !== null)
      }
      this.members_.set(id, member)
      if (this.pendingSessions.delete(id)) this.steam.networking.acceptP2PSession(id)
      this.logger.info(`${id} is in the lobby`)
      this.handlers.memberJoined?.(member)
      this.sendControl(id, {
        kind: 'hello',
        name: this.steam.localplayer.getName().slice(0, 32) || 'Steam user',
        protocol: 2
      })
      this.authenticator?.sendTicket(member)
    }
  }

  private remove(member: AuthenticatedMember): void {
    this.members_.delete(member.id)
    this.authenticator?.forget(member)
    this.handlers.memberLeft?.(member, 'left')
  }

  private drain(): void {
    const networking = this.steam.networking
    for (let size = networking.isP2PPacketAvailable(); size > 0; size = networking.isP2PPacketAvailable()) {
      const packet = networking.readP2PPacket(size)
      this.accept(packet.data, packet.size, packet.steamId.steamId64)
    }
  }

  private accept(bytes: Buffer, length: number, from: bigint): void {
    const view = this.view
    if (!parseDatagram(bytes, length, view)) {
      this.stats.dropped.malformed++
      return
    }
    // Steam authenticated the P2P sender; the header must name the same account, and it must be in the lobby.
    const claimed = joinSteamId(view.senderLow, view.senderHigh)
    const member = this.members_.get(from)
    if (claimed !== from || !member || (view.senderLow === this.localLow && view.senderHigh === this.localHigh)) {
      this.stats.dropped.unauthenticated++
      return
    }
    if (view.type === WIRE_VOICE) {
      const verified = !this.authenticator || member.auth === 'verified'
      if (!verified || !voiceIsFrom(bytes, view.payloadOffset, view.payloadLength, view.senderLow, view.senderHigh)) {
        this.stats.dropped.unauthenticated++
        return
      }
      this.stats.received++
      this.handlers.voice?.(member, view.sequence, bytes, view.payloadOffset, view.payloadLength, view.timestamp)
      return
    }
    const control = decodeControl(bytes, view.payloadOffset, view.payloadLength)
    if (!control) {
      this.stats.dropped.malformed++
      return
    }
    this.stats.received++
    if (control.kind === 'hello') member.name = control.name
    else if (control.kind === 'ping') this.sendControl(from, { kind: 'pong', nonce: control.nonce, at: wallClock() })
    else if (control.kind === 'auth') this.authenticator?.accept(member, control.ticket)
    else if (control.kind === 'auth-ok') this.authenticator?.acknowledged(member)
  }
}
