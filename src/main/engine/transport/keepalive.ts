import { updateClockOffset } from './room-transport'

/** What keepalives keep per member, on any transport. */
export interface Liveness {
  id: bigint
  rttMs: number | null
  clockOffsetMs: number
  bestRttMs?: number
  /** When we last heard anything from them (scheduler ms). */
  lastSeen: number
  /** The keepalive in flight: its nonce and when it left (wall clock). */
  pingNonce: number
  pingSentAt: number
  /** When we last pinged them (scheduler ms). */
  lastPingAt: number
}

export const KEEPALIVE_INTERVAL_MS = 800
/** A member silent this long is shown as reconnecting (a Wi-Fi blip, a stalled game, a new address)... */
export const RECONNECTING_AFTER_MS = 2500
/** ...and after this long of silence, as lost: they leave the room. */
export const LOST_AFTER_MS = 5 * 60_000
/** While a member is silent this long or more, we also try a fresh handshake (their side may have lost ours). */
export const REDIAL_AFTER_MS = 5000
/** Someone who has not become a member this long after their first message is forgotten. */
export const UNVERIFIED_TIMEOUT_MS = 5000

/** The ping to send a member now; remembers when it left. */
export function nextPing(peer: Liveness, nonce: number, wallNow: number): { kind: 'ping'; nonce: number } {
  peer.pingNonce = nonce >>> 0
  peer.pingSentAt = wallNow
  return { kind: 'ping', nonce: peer.pingNonce }
}

/** Their answer to our last ping: the round trip, and from the quickest ones their clock's offset. */
export function heardPong(peer: Liveness, nonce: number, theirWall: number, wallNow: number): void {
  if (nonce !== peer.pingNonce || peer.pingSentAt <= 0) return
  peer.rttMs = Math.round((wallNow - peer.pingSentAt) * 10) / 10
  updateClockOffset(peer, peer.pingSentAt, theirWall, wallNow)
  peer.pingSentAt = 0
}

/** How often the member who does not lead a pair's keepalives pings anyway, to know the round trip. */
const RTT_INTERVAL_MS = 4000

/**
 * Whether to ping `peer` now (every KEEPALIVE_INTERVAL_MS). One ping and its pong keep both sides
 * alive, so only the lower id of a pair pings each time; the other pings when it has heard
 * nothing for two intervals, and every few seconds to measure the round trip itself. In a room of
 * 64 this halves the keepalive traffic (which, at 5,000 datagrams a second in one process,
 * was most of a 64-member room's formation time).
 */
export function shouldPing(peer: Liveness, localId: bigint, now: number): boolean {
  if (localId < peer.id) return true
  return now - peer.lastSeen >= 2 * KEEPALIVE_INTERVAL_MS || now - peer.lastPingAt >= RTT_INTERVAL_MS
}

/** What a member's silence means now: still connected, reconnecting, or lost. */
export function connectionAfterSilence(peer: Liveness, now: number): 'connected' | 'reconnecting' | 'lost' {
  const silent = now - peer.lastSeen
  return silent > LOST_AFTER_MS ? 'lost' : silent > RECONNECTING_AFTER_MS ? 'reconnecting' : 'connected'
}
