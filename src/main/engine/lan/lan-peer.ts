import type { Handshake } from '../auth/handshake'
import type { SessionCrypto } from '../auth/session-crypto'
import { joinSteamId } from '../../../shared/steam-id'
import type { Liveness } from '../transport/keepalive'
import { newMemberAuthState, type AuthenticatedMember } from '../transport/member-auth'

/**
 * Someone at one UDP address, from their first handshake message until they leave: the one
 * object that holds their handshake, session keys and auth state, whether or not they are a
 * member yet. They become a member only once their ticket is verified.
 */
export interface LanPeer extends AuthenticatedMember, Liveness {
  address: string
  host: string
  port: number
  /** The id in their datagrams' header: a claim until their ticket proves it. */
  idLow: number
  idHigh: number
  handshake: Handshake
  /**
   * Which exchange of handshake messages this is (the initiator's random u32, echoed): a late
   * answer to an exchange given up on is told apart from a wrong one without touching the handshake.
   */
  exchange: number
  /** Set once the handshake completes: everything between us is sealed with it. */
  crypto: SessionCrypto | null
  /** Their static key in that handshake: the same for every handshake of one run of theirs. */
  remoteStatic: Uint8Array | null
  /** Something sealed came from them: their side of the handshake is done too. */
  confirmed: boolean
  /** When its current stage (handshake, then ticket) began: each has UNVERIFIED_TIMEOUT_MS. */
  stageStartedAt: number
  verifiedAt: number
  /** They join the room through us: they get our roster (once both sides are verified), and everyone hears of them. */
  introduced: boolean
  /** We joined through them, while already in a room of our own: what they tell us, we pass on. */
  mergingThrough: boolean
  rosterSent: boolean
}

export function newLanPeer(
  host: string,
  port: number,
  address: string,
  idLow: number,
  idHigh: number,
  handshake: Handshake,
  exchange: number,
  now: number
): LanPeer {
  return {
    id: joinSteamId(idLow, idHigh),
    name: '',
    address,
    host,
    port,
    idLow,
    idHigh,
    rttMs: null,
    connection: 'connected',
    clockOffsetMs: 0,
    ...newMemberAuthState(true),
    handshake,
    exchange,
    crypto: null,
    remoteStatic: null,
    confirmed: false,
    stageStartedAt: now,
    lastSeen: now,
    verifiedAt: 0,
    introduced: false,
    mergingThrough: false,
    rosterSent: false,
    pingNonce: 0,
    pingSentAt: 0,
    lastPingAt: -Infinity
  }
}
