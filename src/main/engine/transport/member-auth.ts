import {
  AUTH_RESPONSE_WORDS,
  authWords,
  BEGIN_AUTH_WORDS,
  codeName,
  EAuthSessionResponse,
  EBeginAuthSessionResult
} from '../auth/auth-codes'
import type { Authentication, ValidateAuthTicketResponse } from '../auth/authentication'
import type { Logger } from '../logging/logger'
import { MAX_TICKET_CHARS, TICKET_PART_CHARS, type ControlMessageInput } from './control-messages'
import type { TransportMember } from './room-transport'

/** What the handshake keeps per member, on any transport. */
export interface AuthenticatedMember extends TransportMember {
  /** Our ticket for them, resent until they say auth-ok. */
  ticket: { id: number; base64: string } | null
  peerAccepted: boolean
  /** The ticket of theirs we accepted (a repeat of it just gets auth-ok again). */
  acceptedTicket: string | null
  /** The session tickets are made for (the LAN's handshake hash); null on Steam, which binds its own. */
  binding: Uint8Array | null
  /** The parts of their ticket received so far, when it comes in parts. */
  ticketParts: Array<string | undefined> | null
}

type MemberAuthState = Pick<
  AuthenticatedMember,
  'auth' | 'ticket' | 'peerAccepted' | 'acceptedTicket' | 'binding' | 'ticketParts'
>

export function newMemberAuthState(enabled: boolean): MemberAuthState {
  return {
    auth: enabled ? 'verifying' : undefined,
    ticket: null,
    peerAccepted: false,
    acceptedTicket: null,
    binding: null,
    ticketParts: null
  }
}

/** A member's ticket exchange is now the one `from` ran (their new session took over from the old). */
export function takeAuthState(member: AuthenticatedMember, from: AuthenticatedMember): void {
  member.auth = from.auth
  member.ticket = from.ticket
  member.peerAccepted = from.peerAccepted
  member.acceptedTicket = from.acceptedTicket
  member.binding = from.binding
  member.ticketParts = from.ticketParts
}

/**
 * The handshake both transports run: each side sends a ticket made for the other and begins
 * an auth session on what it receives; a member is verified only when their ticket is accepted.
 */
export class MemberAuthenticator {
  constructor(
    readonly auth: Authentication,
    private readonly logger: Logger,
    private readonly send: (member: AuthenticatedMember, message: ControlMessageInput) => void,
    private readonly changed: (member: AuthenticatedMember) => void,
    /** The member with this id, if any (Steam's verdicts name members by id). */
    private readonly find: (id: bigint) => AuthenticatedMember | undefined,
    /** What goes with our ticket to `member` (the LAN's only introduction: our name, and whether we join through them). */
    private readonly introduction?: (member: AuthenticatedMember) => { name: string; introduce?: true }
  ) {
    this.stopVerdicts = auth.onValidateAuthTicketResponse(this.onVerdict)
  }

  private readonly stopVerdicts: () => void

  /**
   * Steam's verdict (callback 143) on a session we began: OK makes a member verified (with
   * callback verdicts, nothing else does); anything else, now or later (a ticket cancelled, the
   * other side ending its session, a ban), makes them rejected, and silent, at once.
   */
  private readonly onVerdict = (event: ValidateAuthTicketResponse): void => {
    if (this.auth.backend.verdicts !== 'from-callback') return
    const member = this.find(event.steamId)
    if (!member) return
    if (event.response === EAuthSessionResponse.OK) {
      if (member.auth === 'verified' || member.acceptedTicket === null) return
      member.auth = 'verified'
      this.logger.info(`${member.name} (${member.id}) is verified by Steam`)
      this.changed(member)
      this.send(member, { kind: 'auth-ok' })
      return
    }
    const words = authWords(AUTH_RESPONSE_WORDS, event.response)
    this.logger.warn(
      `${member.name} (${member.id}) was refused by Steam: ${codeName(EAuthSessionResponse, event.response)}`
    )
    member.auth = { rejected: words }
    member.acceptedTicket = null
    this.auth.endAuthSession(member.id)
    this.changed(member)
  }

  sendTicket(member: AuthenticatedMember): void {
    if (!member.ticket) {
      const ticket = this.auth.getAuthSessionTicket(member.id, member.binding)
      member.ticket = { id: ticket.id, base64: Buffer.from(ticket.buffer).toString('base64') }
    }
    const ticket = member.ticket.base64
    const introduction = this.introduction?.(member)
    if (ticket.length <= TICKET_PART_CHARS) return this.send(member, { kind: 'auth', ticket, ...introduction })
    const count = Math.ceil(ticket.length / TICKET_PART_CHARS)
    const size = Math.ceil(ticket.length / count)
    for (let index = 0; index < count; index++) {
      const part = ticket.slice(index * size, (index + 1) * size)
      this.send(member, { kind: 'auth', ticket: part, part: { index, count }, ...introduction })
    }
  }

  /**
   * One part of their ticket: kept until every part is there (a resend of the whole replaces
   * what was kept, and a part of another count starts afresh); then, the whole ticket, as accept.
   */
  acceptTicketPart(member: AuthenticatedMember, base64: string, part: { index: number; count: number }): boolean {
    if (!member.ticketParts || member.ticketParts.length !== part.count) member.ticketParts = new Array(part.count)
    member.ticketParts[part.index] = base64
    let whole = ''
    for (let i = 0; i < part.count; i++) {
      const piece = member.ticketParts[i]
      if (piece === undefined) return false
      whole += piece
    }
    member.ticketParts = null
    if (whole.length > MAX_TICKET_CHARS) return false
    return this.acceptTicket(member, whole)
  }

  /** Their ticket: true once they are verified (again). */
  acceptTicket(member: AuthenticatedMember, base64: string): boolean {
    if (member.acceptedTicket === base64) {
      // A resend of what we hold: verified, say so again; else Steam's verdict is still to come.
      if (member.auth === 'verified') this.send(member, { kind: 'auth-ok' })
      return false
    }
    // A different ticket from a member we had accepted: they restarted (or rejoined), so their
    // session starts afresh, and they no longer hold ours either.
    const restarted = member.acceptedTicket !== null && member.acceptedTicket !== base64
    if (this.auth.hasSession(member.id)) this.auth.endAuthSession(member.id)
    const bytes = Buffer.from(base64, 'base64')
    const result = this.auth.beginAuthSession(bytes, bytes.length, member.id, member.binding)
    if (result !== EBeginAuthSessionResult.OK) {
      member.auth = { rejected: authWords(BEGIN_AUTH_WORDS, result) }
      this.logger.warn(`${member.name} (${member.id}) was refused: ${codeName(EBeginAuthSessionResult, result)}`)
      this.changed(member)
      return false
    }
    if (restarted && member.ticket) {
      this.auth.cancelAuthTicket(member.ticket.id)
      member.ticket = null
      member.peerAccepted = false
    }
    if (!member.ticket) this.sendTicket(member)
    member.acceptedTicket = base64
    if (this.auth.backend.verdicts === 'from-callback') {
      // Begun: Steam's verdict decides (onVerdict). Until then they stay verifying, and unheard.
      if (member.auth !== 'verifying') {
        member.auth = 'verifying'
        this.changed(member)
      }
      return false
    }
    member.auth = 'verified'
    this.logger.info(`${member.name} (${member.id}) is verified`)
    this.changed(member)
    this.send(member, { kind: 'auth-ok' })
    return true
  }

  acknowledged(member: AuthenticatedMember): void {
    member.peerAccepted = true
  }

  /** Resends our ticket to whoever has not accepted it yet. */
  resendPending(members: Iterable<AuthenticatedMember>): void {
    for (const member of members) if (!member.peerAccepted) this.sendTicket(member)
  }

  /** Someone who never became a member: our ticket for them is retired (they hold no session of ours). */
  abandon(member: AuthenticatedMember): void {
    if (member.ticket) this.auth.cancelAuthTicket(member.ticket.id)
  }

  /** They left: their session ends and our ticket for them is retired. */
  forget(member: AuthenticatedMember): void {
    this.auth.endAuthSession(member.id)
    if (member.ticket) this.auth.cancelAuthTicket(member.ticket.id)
  }

  close(): void {
    this.stopVerdicts()
    this.auth.cancelAllTickets()
    this.auth.endAllSessions()
  }
}
