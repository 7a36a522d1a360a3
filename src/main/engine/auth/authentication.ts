import type { NativeAddon } from '../native/native-addon'
import { EAuthSessionResponse, EBeginAuthSessionResult } from './auth-codes'
import type { LanIdentity } from './lan-identity'
import { checkLanTicket, issueLanTicket } from './lan-ticket'

export interface AuthTicket {
  /** HAuthTicket: what cancelAuthTicket takes. */
  id: number
  buffer: Uint8Array
  size: number
  /** The one account that may use it (null: anyone, Steam only). */
  for: bigint | null
}

export interface AuthSession {
  steamId: bigint
  startedAt: number
}

/** The seed's ValidateAuthTicketResponse: the outcome for one session. */
export interface ValidateAuthTicketResponse {
  steamId: bigint
  response: EAuthSessionResponse
  ownerSteamId: bigint
}

/**
 * What the module needs of a backend: Steam's auth sessions, or the LAN's signed tickets.
 * `binding` is the session a ticket is made for (the handshake hash; handshake.ts): LAN tickets
 * sign it and are only good inside it. Steam tickets ignore it: Steam binds them itself.
 */
export interface AuthBackend {
  readonly kind: 'steam' | 'lan'
  readonly localId: bigint
  /**
   * Where the verdict on a session comes from: BeginAuthSession's own answer ('at-begin': the
   * LAN's signatures, complete on the spot), or Steam's ValidateAuthTicketResponse later
   * ('from-callback'), handed in through `validateAuthTicketResponse`.
   */
  readonly verdicts: 'at-begin' | 'from-callback'
  issue(remote: bigint | null, id: number, binding: Uint8Array | null): { buffer: Uint8Array; id: number }
  begin(
    ticket: Uint8Array,
    steamId: bigint,
    binding: Uint8Array | null
  ): { result: EBeginAuthSessionResult; response: EAuthSessionResponse }
  end(steamId: bigint): void
  cancel(id: number): void
}

/**
 * Who is who, before any voice is played: the seed's Authentication API over either backend.
 * Tickets we issued are `activeTickets`; sessions we began and accepted are `activeSessions`.
 */
export class Authentication<B extends AuthBackend = AuthBackend> {
  private readonly tickets = new Map<number, AuthTicket>()
  private readonly sessions = new Map<bigint, AuthSession>()
  private readonly listeners = new Set<(event: ValidateAuthTicketResponse) => void>()
  private nextId = 1

  constructor(
    readonly backend: B,
    private readonly now: () => number = Date.now
  ) {}

  get localId(): bigint {
    return this.backend.localId
  }

  get activeTickets(): readonly AuthTicket[] {
    return [...this.tickets.values()]
  }

  get activeSessions(): readonly AuthSession[] {
    return [...this.sessions.values()]
  }

  onValidateAuthTicketResponse(listener: (event: ValidateAuthTicketResponse) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getAuthSessionTicket(remoteSteamId: bigint | null = null, binding: Uint8Array | null = null): AuthTicket {
    const { buffer, id } = this.backend.issue(remoteSteamId, this.nextId++, binding)
    const ticket: AuthTicket = { id, buffer, size: buffer.length, for: remoteSteamId }
    this.tickets.set(id, ticket)
    return ticket
  }

  beginAuthSession(
    ticket: Uint8Array,
    ticketSize: number,
    steamId: bigint,
    binding: Uint8Array | null = null
  ): EBeginAuthSessionResult {
    if (this.sessions.has(steamId)) return EBeginAuthSessionResult.DuplicateRequest
    if (!(ticketSize >= 0 && ticketSize <= ticket.length)) return EBeginAuthSessionResult.InvalidTicket
    const { result, response } = this.backend.begin(ticket.subarray(0, ticketSize), steamId, binding)
    if (result === EBeginAuthSessionResult.OK) this.sessions.set(steamId, { steamId, startedAt: this.now() })
    if (this.backend.verdicts === 'at-begin') this.emit({ steamId, response, ownerSteamId: steamId })
    return result
  }

  /**
   * Steam's verdict on a session we began (callback 143), from the callback dispatch: passed to
   * listeners; one for a session we do not hold (ended, never begun) is dropped.
   */
  validateAuthTicketResponse(event: ValidateAuthTicketResponse): void {
    if (this.backend.verdicts !== 'from-callback' || !this.sessions.has(event.steamId)) return
    this.emit(event)
  }

  endAuthSession(steamId: bigint): void {
    if (!this.sessions.delete(steamId)) return
    this.backend.end(steamId)
  }

  endAllSessions(): void {
    for (const steamId of [...this.sessions.keys()]) this.endAuthSession(steamId)
  }

  cancelAuthTicket(id: number): void {
    if (!this.tickets.delete(id)) return
    this.backend.cancel(id)
  }

  cancelAllTickets(): void {
    for (const id of [...this.tickets.keys()]) this.cancelAuthTicket(id)
  }

  hasSession(steamId: bigint): boolean {
    return this.sessions.has(steamId)
  }

  private emit(event: ValidateAuthTicketResponse): void {
    for (const listener of this.listeners) listener(event)
  }
}

/** Steam's auth sessions through the native addon (the verdict is Steam's callback 143; docs/steam.md). */
export class SteamAuthBackend implements AuthBackend {
  readonly kind = 'steam'
  readonly localId: bigint

  constructor(
    private readonly native: NativeAddon,
    /**
     * 'from-callback' when Steam's callbacks reach us (SteamCallbackDispatch): Steam's
     * ValidateAuthTicketResponse decides. 'at-begin' trusts BeginAuthSession's answer alone.
     */
    readonly verdicts: 'at-begin' | 'from-callback' = 'from-callback'
  ) {
    this.localId = native.getSteamID()
  }

  issue(remote: bigint | null): { buffer: Uint8Array; id: number } {
    const ticket = remote === null ? this.native.getAuthSessionTicket() : this.native.getAuthSessionTicket(remote)
    return { buffer: ticket.buffer.subarray(0, ticket.size), id: ticket.id }
  }

  begin(ticket: Uint8Array, steamId: bigint) {
    const result = this.native.beginAuthSession(ticket, ticket.length, steamId) as EBeginAuthSessionResult
    return {
      result,
      response: result === EBeginAuthSessionResult.OK ? EAuthSessionResponse.OK : EAuthSessionResponse.AuthTicketInvalid
    }
  }

  end(steamId: bigint): void {
    this.native.endAuthSession(steamId)
  }

  cancel(id: number): void {
    this.native.cancelAuthTicket(id)
  }
}

/**
 * The LAN's auth sessions: a ticket is an Ed25519 signature, by the key the member's id is the
 * hash of, over the session's handshake hash (lan-ticket.ts). A session's keys come from the
 * handshake itself, not from here.
 */
export class LanAuthBackend implements AuthBackend {
  readonly kind = 'lan'
  readonly verdicts = 'at-begin'

  constructor(readonly identity: LanIdentity) {}

  get localId(): bigint {
    return this.identity.steamId
  }

  issue(remote: bigint | null, id: number, binding: Uint8Array | null): { buffer: Uint8Array; id: number } {
    if (remote === null || binding === null) throw new Error('LAN tickets are for one member and one session')
    return { buffer: issueLanTicket(this.identity, remote, binding), id }
  }

  begin(ticket: Uint8Array, steamId: bigint, binding: Uint8Array | null) {
    if (binding === null)
      return { result: EBeginAuthSessionResult.InvalidTicket, response: EAuthSessionResponse.AuthTicketInvalid }
    const check = checkLanTicket(ticket, steamId, this.localId, binding)
    if (check.ok) return { result: EBeginAuthSessionResult.OK, response: EAuthSessionResponse.OK }
    switch (check.reason) {
      case 'version':
        return { result: EBeginAuthSessionResult.InvalidVersion, response: EAuthSessionResponse.AuthTicketInvalid }
      case 'audience':
      case 'issuer':
        return {
          result: EBeginAuthSessionResult.InvalidTicket,
          response: EAuthSessionResponse.AuthTicketNetworkIdentityFailure
        }
      default:
        return { result: EBeginAuthSessionResult.InvalidTicket, response: EAuthSessionResponse.AuthTicketInvalid }
    }
  }

  end(): void {}

  cancel(): void {}
}
