import type { Authentication } from '../auth/authentication'
import type { Logger } from '../logging/logger'
import { LoopFaults } from '../logging/loop-faults'
import { realScheduler, type Scheduler } from '../time/scheduler'
import { splitSteamId } from '../../../shared/steam-id'
import {
  connectionAfterSilence,
  KEEPALIVE_INTERVAL_MS,
  nextPing,
  REDIAL_AFTER_MS,
  shouldPing
} from '../transport/keepalive'
import { MemberAuthenticator } from '../transport/member-auth'
import {
  newTransportStats,
  type RoomConnection,
  type TransportMember,
  type RoomTransport,
  type TransportHandlers,
  type TransportStats
} from '../transport/room-transport'
import { VoiceDatagramFitter } from '../transport/voice-datagram-fitter'
import { MAX_PAYLOAD_BYTES, wallClock } from '../transport/wire-protocol'
import { newSteamMember, type SteamMember } from './steam-member'
import { SteamReceiver } from './steam-receiver'
import { SteamP2P } from './steam-p2p'
import {
  CALLBACK_GAME_LOBBY_JOIN_REQUESTED,
  CALLBACK_LOBBY_CHAT_UPDATE,
  CALLBACK_P2P_SESSION_CONNECT_FAIL,
  CALLBACK_P2P_SESSION_REQUEST,
  CALLBACK_STEAM_SERVERS_CONNECTED,
  CALLBACK_STEAM_SERVERS_DISCONNECTED,
  LOBBY_FRIENDS_ONLY,
  MEMBER_STATE_NAMES,
  P2P_SESSION_ERRORS,
  SEND_UNRELIABLE_NO_DELAY,
  type LobbyChatUpdate,
  type SteamLobby,
  type SteamworksApi
} from './steamworks-api'

const MAX_LOBBY_MEMBERS = 16
/** After losing the lobby, we try to get back in, backing off to this, for LOBBY_GIVE_UP_MS. */
const LOBBY_RETRY_MAX_MS = 10_000
const LOBBY_GIVE_UP_MS = 5 * 60_000
/** Redials of a silent member back off from 1 s to this. */
const REDIAL_MAX_MS = 10_000
/** Steam's own P2P queue is drained this often. */
const POLL_MS = 5
/** Our ticket is resent this often until a member accepts it. */
const TICKET_RESEND_MS = 1000

/**
 * The room as a Steam lobby: friends-only, invites through the overlay, membership from
 * Steam. Voice goes peer to peer (unreliable, no delay) to every member, control messages
 * reliably; P2P sessions are accepted only from members of our lobby. About 400 lines: the
 * lobby's life and its membership change together; sending, receiving and the member record are
 * steam-p2p.ts, steam-receiver.ts and steam-member.ts.
 */
export class SteamLobbyTransport implements RoomTransport {
  readonly stats: TransportStats = newTransportStats()
  readonly localId: bigint
  private readonly members_ = new Map<bigint, SteamMember>()
  private connection_: RoomConnection = { state: 'connecting', problem: null }
  /** The lobby we were in when it was lost, and the retries to get back in. */
  private lostLobby: { id: bigint; since: number; nextTryAt: number; delayMs: number } | null = null
  private lastKeepalive = -Infinity
  private nonce = 1
  /** Throws caught in the poll, by step. */
  readonly faults: LoopFaults
  private readonly authenticator: MemberAuthenticator | null
  private lastResend = 0
  private readonly events: { handlers: TransportHandlers } = { handlers: {} }
  private lobby: SteamLobby | null = null
  private readonly p2p: SteamP2P
  private readonly voiceFitter: VoiceDatagramFitter
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
    this.faults = new LoopFaults(logger)
    this.authenticator = auth
      ? new MemberAuthenticator(
          auth,
          logger,
          (member, message) => this.p2p.control(member.id, message),
          (member) => this.events.handlers.memberChanged?.(member),
          (id) => this.members_.get(id)
        )
      : null
    this.localId = steam.localplayer.getSteamId().steamId64
    const { low, high } = splitSteamId(this.localId)
    this.p2p = new SteamP2P(steam.networking, low, high, this.stats, logger)
    this.voiceFitter = new VoiceDatagramFitter(low, high, MAX_PAYLOAD_BYTES, (packet, length, at) =>
      this.p2p.voice(this.members_.keys(), packet, length, at)
    )
    this.registrations.push(
      steam.callback.register(CALLBACK_LOBBY_CHAT_UPDATE, ((update: LobbyChatUpdate) => {
        if (!this.lobby || update.lobby !== this.lobby.id) return
        if (update.user_changed !== this.localId || update.member_state_change === 0) return this.syncMembers()
        const how = MEMBER_STATE_NAMES[update.member_state_change] ?? `state ${update.member_state_change}`
        if (how === 'kicked' || how === 'banned') this.removedFromLobby(how)
        else this.lobbyLost(`Steam says we ${how}`)
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_P2P_SESSION_CONNECT_FAIL, ((failure: { remote: bigint; error: number }) => {
        this.onSessionFailed(failure.remote, failure.error)
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_STEAM_SERVERS_DISCONNECTED, ((event: { reason: number }) => {
        if (this.lobby) this.lobbyLost(`Steam's servers disconnected (EResult ${event.reason})`)
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_STEAM_SERVERS_CONNECTED, (() => {
        if (this.lostLobby) this.lostLobby.nextTryAt = this.scheduler.now()
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_P2P_SESSION_REQUEST, ((request: { remote: bigint }) => {
        this.onSessionRequest(request.remote)
      }) as (value: never) => void),
      steam.callback.register(CALLBACK_GAME_LOBBY_JOIN_REQUESTED, ((request: { lobby_steam_id: bigint }) => {
        void this.join(request.lobby_steam_id)
      }) as (value: never) => void)
    )
    const receiver = new SteamReceiver({
      localId: this.localId,
      stats: this.stats,
      scheduler: this.scheduler,
      members: this.members_,
      authenticator: this.authenticator,
      p2p: this.p2p,
      events: this.events,
      heardAgain: (member) => {
        logger.info(`${member.name} (${member.id}) is back`)
        this.setMemberConnection(member, 'connected')
      }
    })
    // Each step on its own: a throw (a Steam call failing, a bug) is counted and logged once, and
    // neither stops the others nor the loop.
    const poll = (): void => {
      const now = this.scheduler.now()
      try {
        this.p2p.drain(receiver.receive)
      } catch (error) {
        this.faults.record('P2P receive', error)
      }
      try {
        if (this.authenticator && now - this.lastResend >= TICKET_RESEND_MS) {
          this.lastResend = now
          this.authenticator.resendPending(this.members_.values())
        }
        if (now - this.lastKeepalive >= KEEPALIVE_INTERVAL_MS) {
          this.lastKeepalive = now
          this.keepalive(now)
        }
        const lost = this.lostLobby
        if (lost && (now >= lost.nextTryAt || now - lost.since >= LOBBY_GIVE_UP_MS)) this.retryLobby(now)
      } catch (error) {
        this.faults.record('P2P upkeep', error)
      }
      this.timer = this.scheduler.setTimeout(poll, POLL_MS)
    }
    poll()
  }

  get connection(): RoomConnection {
    return this.connection_
  }

  get members(): ReadonlyMap<bigint, TransportMember> {
    return this.members_
  }

  get lobbyId(): bigint | null {
    return this.lobby?.id ?? null
  }

  setHandlers(handlers: TransportHandlers): void {
    this.events.handlers = handlers
  }

  async create(): Promise<bigint> {
    return (await this.enter(() => this.steam.matchmaking.createLobby(LOBBY_FRIENDS_ONLY, MAX_LOBBY_MEMBERS))).id
  }

  async join(lobbyId: bigint): Promise<void> {
    await this.enter(() => this.steam.matchmaking.joinLobby(lobbyId))
  }

  invite(): void {
    this.lobby?.openInviteDialog()
  }

  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean {
    if (this.members_.size === 0) return true
    if (this.voiceFitter.fit(packet, length, capturedAt)) return true
    this.stats.unsent.tooBig++
    return false
  }

  async close(): Promise<void> {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer)
    this.timer = null
    for (const registration of this.registrations) registration.disconnect()
    this.leaveLobby()
    this.authenticator?.close()
  }

  /** Into a lobby (ours or a friend's): "connecting" until Steam answers, then "connected" or "lost" with why. */
  private async enter(open: () => Promise<SteamLobby>): Promise<SteamLobby> {
    this.leaveLobby()
    this.lostLobby = null
    this.setConnection('connecting', null)
    try {
      this.lobby = await open()
    } catch (error) {
      this.setConnection('lost', 'Steam could not open the lobby. Check that Steam is online, then try again.')
      throw error
    }
    this.setConnection('connected', null)
    this.syncMembers()
    return this.lobby
  }

  private setConnection(state: RoomConnection['state'], problem: string | null): void {
    if (this.connection_.state === state && this.connection_.problem === problem) return
    this.connection_ = { state, problem }
    this.events.handlers.roomChanged?.()
  }

  /**
   * Our place in the lobby is gone (Steam's servers dropped us, or the lobby dropped us): the
   * members stay shown as reconnecting while we try to get back in, from 1 s to 10 s apart, for
   * five minutes.
   */
  private lobbyLost(why: string): void {
    if (!this.lobby || this.lostLobby) return
    this.logger.warn(`lost the Steam lobby ${this.lobby.id}: ${why}; trying to get back in`)
    const now = this.scheduler.now()
    this.lostLobby = { id: this.lobby.id, since: now, nextTryAt: now + 1000, delayMs: 1000 }
    for (const member of this.members_.values()) this.setMemberConnection(member, 'reconnecting')
    this.setConnection('reconnecting', 'Lost the Steam lobby. Getting back in…')
  }

  /** The lobby's owner removed us: no point knocking again. */
  private removedFromLobby(how: string): void {
    this.logger.warn(`${how} from the Steam lobby ${this.lobby?.id}`)
    this.lobby = null
    this.lostLobby = null
    for (const member of [...this.members_.values()]) this.remove(member)
    this.setConnection('lost', 'You were removed from the Steam lobby. Make a new room, or ask a friend for an invite.')
  }

  private retryLobby(now: number): void {
    const lost = this.lostLobby!
    if (now - lost.since >= LOBBY_GIVE_UP_MS) {
      this.lostLobby = null
      this.lobby = null
      for (const member of [...this.members_.values()]) this.remove(member)
      this.logger.warn(`gave up on the Steam lobby ${lost.id} after 5 minutes`)
      this.setConnection(
        'lost',
        'Lost the Steam lobby and could not get back in. Make a new room, or join a friend again.'
      )
      return
    }
    lost.delayMs = Math.min(lost.delayMs * 2, LOBBY_RETRY_MAX_MS)
    lost.nextTryAt = Number.POSITIVE_INFINITY // one attempt at a time
    this.steam.matchmaking.joinLobby(lost.id).then(
      (lobby) => {
        if (this.lostLobby !== lost) return lobby.leave() // closed, or another room was chosen meanwhile
        this.lostLobby = null
        this.lobby = lobby
        this.logger.info(`back in the Steam lobby ${lobby.id}`)
        this.setConnection('connected', null)
        this.syncMembers()
      },
      (error: Error) => {
        if (this.lostLobby !== lost) return
        this.logger.warn(`could not get back into the Steam lobby ${lost.id}: ${error.message}`)
        lost.nextTryAt = this.scheduler.now() + lost.delayMs
      }
    )
  }

  /** Steam could not reach a member over P2P: shown as reconnecting now; Steam retries on our next send. */
  private onSessionFailed(remote: bigint, error: number): void {
    const member = this.members_.get(remote)
    if (!member) return
    this.logger.warn(
      `P2P session with ${member.name} (${remote}) failed: ${P2P_SESSION_ERRORS[error] ?? `error ${error}`}`
    )
    this.setMemberConnection(member, 'reconnecting')
  }

  private setMemberConnection(member: SteamMember, connection: SteamMember['connection']): void {
    if (member.connection === connection) return
    member.connection = connection
    if (connection === 'reconnecting') {
      member.redialDelayMs = 1000
      member.nextRedialAt = this.scheduler.now() + REDIAL_AFTER_MS
    }
    this.events.handlers.memberChanged?.(member)
  }

  /**
   * Pings (only the lower id of a pair, as on the LAN), and what silence means: reconnecting
   * after 2.5 s, our hello again from 5 s (Steam remakes a P2P session on a send; every 10 s
   * at most, even once lost), lost after 5 minutes, while the lobby still lists them.
   */
  private keepalive(now: number): void {
    const wallNow = wallClock()
    for (const member of this.members_.values()) {
      const silence = connectionAfterSilence(member, now)
      if (silence === 'lost') this.setMemberConnection(member, 'lost')
      else if (silence === 'reconnecting' && member.connection === 'connected') {
        this.logger.info(`${member.name} (${member.id}) went silent; reconnecting`)
        this.setMemberConnection(member, 'reconnecting')
      }
      if (member.connection !== 'connected' && now >= member.nextRedialAt) {
        member.nextRedialAt = now + member.redialDelayMs
        member.redialDelayMs = Math.min(member.redialDelayMs * 2, REDIAL_MAX_MS)
        this.steam.networking.acceptP2PSession(member.id)
        this.sendHello(member.id)
      }
      if (member.connection !== 'lost' && shouldPing(member, this.localId, now)) {
        member.lastPingAt = now
        this.p2p.control(member.id, nextPing(member, this.nonce++, wallNow), SEND_UNRELIABLE_NO_DELAY)
      }
    }
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

  private sendHello(to: bigint): void {
    this.p2p.control(to, {
      kind: 'hello',
      name: this.steam.localplayer.getName().slice(0, 32) || 'Steam user',
      protocol: 2
    })
  }

  private leaveLobby(): void {
    this.lostLobby = null
    const lobby = this.lobby
    if (!lobby) return
    this.lobby = null // before leave(): Steam's word that we left is not a lost lobby
    lobby.leave()
    for (const member of [...this.members_.values()]) this.remove(member)
  }

  /** Steam owns membership: whoever is in the lobby is in the room. */
  private syncMembers(): void {
    if (this.lostLobby) return // what Steam lists now is not our room; the members wait as reconnecting
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
      const member = newSteamMember(id, this.scheduler.now(), this.authenticator !== null)
      this.members_.set(id, member)
      if (this.pendingSessions.delete(id)) this.steam.networking.acceptP2PSession(id)
      this.logger.info(`${id} is in the lobby`)
      this.events.handlers.memberJoined?.(member)
      this.sendHello(id)
      this.authenticator?.sendTicket(member)
    }
  }

  private remove(member: SteamMember): void {
    this.members_.delete(member.id)
    this.authenticator?.forget(member)
    this.events.handlers.memberLeft?.(member, 'left')
  }
}
