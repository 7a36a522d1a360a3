import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { NativeAddon } from '../native/native-addon'
import { EAuthSessionResponse, EBeginAuthSessionResult } from './auth-codes'
import { rawPublicKey, type LanIdentity } from './lan-identity'
import { checkLanTicket, issueLanTicket } from './lan-ticket'
import { deriveSessionKeys } from './session-crypto'

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

/** What the module needs of a backend: Steam's auth sessions, or the LAN's signed tickets. */
export interface AuthBackend {
  readonly kind: 'steam' | 'lan'
  readonly localId: bigint
  issue(remote: bigint | null, id: number): { buffer: Uint8Array; id: number }
  begin(ticket: Uint8Array, steamId: bigint): { result: EBeginAuthSessionResult; response: EAuthSessionResponse }
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

  getAuthSessionTicket(remoteSteamId: bigint | null = null): AuthTicket {
    const { buffer, id } = this.backend.issue(remoteSteamId, this.nextId++)
    const ticket: AuthTicket = { id, buffer, size: buffer.length, for: remoteSteamId }
    this.tickets.set(id, ticket)
    return ticket
  }

  beginAuthSession(ticket: Uint8Array, ticketSize: number, steamId: bigint): EBeginAuthSessionResult {
    if (this.sessions.has(steamId)) return EBeginAuthSessionResult.DuplicateRequest
    if (!(ticketSize >= 0 && ticketSize <= ticket.length)) return EBeginAuthSessionResult.InvalidTicket
    const { result, response } = this.backend.begin(ticket.subarray(0, ticketSize), steamId)
    if (result === EBeginAuthSessionResult.OK) this.sessions.set(steamId, { steamId, startedAt: this.now() })
    this.emit({ steamId, response, ownerSteamId: steamId })
    return result
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

/** Steam's auth sessions through the native addon (BeginAuthSession's answer trusted; docs/steam.md). */
export class SteamAuthBackend implements AuthBackend {
  readonly kind = 'steam'
  readonly localId: bigint

  constructor(private readonly native: NativeAddon) {
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

/** What a LAN session yields beyond "OK": the keys for this member's datagrams. */
export interface LanSessionKeys {
  send: Buffer
  receive: Buffer
}

/** The LAN's auth sessions: Ed25519-signed tickets, each carrying an X25519 key for the session. */
export class LanAuthBackend implements AuthBackend {
  readonly kind = 'lan'
  private readonly sessionKeys = new Map<number, { privateKey: KeyObject; remote: bigint | null }>()
  private readonly usedNonces = new Map<string, number>()
  /** The X25519 key each peer's accepted ticket carried, until we pair it with ours. */
  readonly peerSessionKeys = new Map<bigint, Uint8Array>()

  constructor(
    readonly identity: LanIdentity,
    private readonly now: () => number = Date.now
  ) {}

  get localId(): bigint {
    return this.identity.steamId
  }

  issue(remote: bigint | null, id: number): { buffer: Uint8Array; id: number } {
    if (remote === null) throw new Error('LAN tickets are always for one member (pass their id)')
    const { privateKey, publicKey } = generateKeyPairSync('x25519')
    this.sessionKeys.set(id, { privateKey, remote })
    return { buffer: issueLanTicket(this.identity, remote, rawPublicKey(publicKey), this.now()), id }
  }

  begin(ticket: Uint8Array, steamId: bigint) {
    const now = this.now()
    for (const [nonce, expiry] of this.usedNonces) if (expiry <= now) this.usedNonces.delete(nonce)
    const check = checkLanTicket(ticket, steamId, this.localId, now)
    if (!check.ok) {
      switch (check.reason) {
        case 'version':
          return { result: EBeginAuthSessionResult.InvalidVersion, response: EAuthSessionResponse.AuthTicketInvalid }
        case 'expired':
          return { result: EBeginAuthSessionResult.ExpiredTicket, response: EAuthSessionResponse.AuthTicketInvalid }
        case 'audience':
          return {
            result: EBeginAuthSessionResult.InvalidTicket,
            response: EAuthSessionResponse.AuthTicketNetworkIdentityFailure
          }
        default:
          return { result: EBeginAuthSessionResult.InvalidTicket, response: EAuthSessionResponse.AuthTicketInvalid }
      }
    }
    const nonce = Buffer.from(check.ticket.nonce).toString('hex')
    if (this.usedNonces.has(nonce)) {
      return {
        result: EBeginAuthSessionResult.DuplicateRequest,
        response: EAuthSessionResponse.AuthTicketInvalidAlreadyUsed
      }
    }
    this.usedNonces.set(nonce, check.ticket.expiry)
    this.peerSessionKeys.set(steamId, check.ticket.sessionKey)
    return { result: EBeginAuthSessionResult.OK, response: EAuthSessionResponse.OK }
  }

  /** Once we hold both our ticket for `remote` and theirs for us: the pair's directional keys. */
  keysFor(ourTicketId: number, remote: bigint): LanSessionKeys | null {
    const ours = this.sessionKeys.get(ourTicketId)
    const theirs = this.peerSessionKeys.get(remote)
    if (!ours || ours.remote !== remote || !theirs) return null
    return deriveSessionKeys(ours.privateKey, theirs, this.localId, remote)
  }

  end(steamId: bigint): void {
    this.peerSessionKeys.delete(steamId)
  }

  cancel(id: number): void {
    this.sessionKeys.delete(id)
  }
}
