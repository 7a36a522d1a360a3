import type { Handshake } from '../auth/handshake'
import { SessionCrypto } from '../auth/session-crypto'
import { joinSteamId } from '../../../shared/steam-id'
import type { Liveness } from '../transport/keepalive'
import { newMemberAuthState, type AuthenticatedMember } from '../transport/member-auth'
import { addressKey } from './udp-address'

/**
 * One Noise session with someone: the exchange of handshake messages that makes it and the keys
 * it gives. A member who comes back with a new session keeps being the same member; only this
 * object is replaced.
 */
export class LanSession {
  /** Set once the handshake completes: everything between us is sealed with it. */
  crypto: SessionCrypto | null = null
  /** Their static key in that handshake: the same for every handshake of one run of theirs. */
  remoteStatic: Uint8Array | null = null
  /** Something sealed came from them: their side of the handshake is done too. */
  confirmed = false

  constructor(
    readonly handshake: Handshake,
    /**
     * Which exchange of handshake messages this is (the initiator's random u32, echoed): a late
     * answer to an exchange given up on is told apart from a wrong one without touching the handshake.
     */
    readonly exchange: number
  ) {}

  /** The handshake is complete: its keys seal everything from here on. Returns what tickets are bound to. */
  open(): Uint8Array {
    const keys = this.handshake.keys!
    this.crypto = new SessionCrypto(keys.send, keys.receive)
    this.remoteStatic = keys.remoteStatic
    return keys.binding
  }

  /** Both sessions come from the same run of theirs (the same static key). */
  sameRunAs(other: LanSession): boolean {
    const a = this.remoteStatic
    const b = other.remoteStatic
    if (!a || !b || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
}

/**
 * Someone at one UDP address, from their first handshake message until they leave: the one
 * object that holds their session, auth state and liveness, whether or not they are a member
 * yet. They become a member only once their ticket is verified.
 */
export interface LanPeer extends AuthenticatedMember, Liveness {
  address: string
  host: string
  port: number
  /** The id in their datagrams' header: a claim until their ticket proves it. */
  idLow: number
  idHigh: number
  session: LanSession
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
  idLow: number,
  idHigh: number,
  session: LanSession,
  now: number
): LanPeer {
  return {
    id: joinSteamId(idLow, idHigh),
    name: '',
    address: addressKey(host, port),
    host,
    port,
    idLow,
    idHigh,
    rttMs: null,
    connection: 'connected',
    clockOffsetMs: 0,
    ...newMemberAuthState(true),
    session,
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

/** Their datagrams come from here now. */
export function moveTo(peer: LanPeer, host: string, port: number): void {
  peer.host = host
  peer.port = port
  peer.address = addressKey(host, port)
}
