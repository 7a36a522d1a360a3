/** A member of the room as the transport knows them. */
export interface RoomMember {
  id: bigint
  name: string
  /** LAN: where their datagrams come from ("host:port"). Steam: undefined (P2P by SteamID). */
  address?: string
  /** Last keepalive round trip, if measured. */
  rttMs: number | null
  /** Whether their auth ticket was accepted; their voice plays only once verified. */
  auth?: 'verifying' | 'verified' | { rejected: string }
}

export interface TransportStats {
  sent: number
  received: number
  dropped: { malformed: number; unauthenticated: number; duplicate: number }
}

export interface TransportHandlers {
  /** A voice packet from a member. `bytes` is only valid during the call. */
  voice?(from: bigint, sequence: number, bytes: Uint8Array, offset: number, length: number, sentAtWire: number): void
  memberJoined?(member: RoomMember): void
  memberLeft?(member: RoomMember, reason: 'left' | 'timeout'): void
  /** A member's auth state changed. */
  memberChanged?(member: RoomMember): void
}

/**
 * How voice reaches the others in the room: Steam P2P in a lobby, or UDP on the LAN. Both speak
 * the same wire protocol and accept voice only from members of the room.
 */
export interface RoomTransport {
  readonly localId: bigint
  readonly members: ReadonlyMap<bigint, RoomMember>
  readonly stats: TransportStats
  setHandlers(handlers: TransportHandlers): void
  /** To every member, unreliably and at once. */
  sendVoice(packet: Uint8Array, length: number): void
  close(): Promise<void>
}

export function newTransportStats(): TransportStats {
  return { sent: 0, received: 0, dropped: { malformed: 0, unauthenticated: 0, duplicate: 0 } }
}

/** True when a Steam voice packet's own SteamID (its first 8 bytes) is `sender`'s. */
export function voiceIsFrom(
  bytes: Uint8Array,
  offset: number,
  length: number,
  senderLow: number,
  senderHigh: number
): boolean {
  if (length < 8) return false
  const low =
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0
  const high =
    (bytes[offset + 4]! | (bytes[offset + 5]! << 8) | (bytes[offset + 6]! << 16) | (bytes[offset + 7]! << 24)) >>> 0
  return low === senderLow && high === senderHigh
}
