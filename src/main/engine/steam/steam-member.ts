import type { Liveness } from '../transport/keepalive'
import { newMemberAuthState, type AuthenticatedMember } from '../transport/member-auth'

/** A lobby member: auth state and keepalives (one object per member, owned by the lobby transport). */
export interface SteamMember extends AuthenticatedMember, Liveness {
  /** While they are silent: when we next send them our hello again, and the wait after that. */
  nextRedialAt: number
  redialDelayMs: number
}

export function newSteamMember(id: bigint, now: number, authenticated: boolean): SteamMember {
  return {
    id,
    name: id.toString(),
    rttMs: null,
    connection: 'connected',
    clockOffsetMs: 0,
    ...newMemberAuthState(authenticated),
    lastSeen: now,
    pingNonce: 0,
    pingSentAt: 0,
    lastPingAt: -Infinity,
    nextRedialAt: 0,
    redialDelayMs: 1000
  }
}
