/** Connected; silent for a while and being reached again; or given up on (Steam keeps them listed in the lobby). */
export type MemberConnection = 'connected' | 'reconnecting' | 'lost'

/** The room's own link: a join or lobby in progress, up, being restored, or gone (with why, in a player's words). */
export interface RoomConnection {
  state: 'connecting' | 'connected' | 'reconnecting' | 'lost'
  problem: string | null
}

/** A member of the room as the transport knows them. */
export interface TransportMember {
  id: bigint
  name: string
  /** LAN: where their datagrams come from ("host:port"). Steam: undefined (P2P by SteamID). */
  address?: string
  /** Last keepalive round trip, if measured. */
  rttMs: number | null
  /** Their wall clock minus ours, in ms (from keepalives; 0 until measured): turns their capture times into ours. */
  clockOffsetMs: number
  /** Connected, or silent for a while and being reached again (it stays a member until lost). */
  connection: MemberConnection
  /** Whether their auth ticket was accepted; their voice plays only once verified. */
  auth?: 'verifying' | 'verified' | { rejected: string }
}

export interface TransportStats {
  sent: number
  received: number
  /**
   * Datagrams dropped, by why: not ours in form; from no verified member (or not sealed by one);
   * seen before; refused by admission control (too many handshakes, from one address or in all);
   * a handler threw (a bug, caught at the socket).
   */
  dropped: { malformed: number; unauthenticated: number; duplicate: number; refused: number; errors: number }
  /**
   * Our own datagrams that did not go out, by why: a voice packet too big for a datagram that
   * could not be split; the network refused it (Steam's send failed, no socket buffer free).
   */
  unsent: { tooBig: number; refused: number }
}

export interface TransportHandlers {
  /**
   * A voice packet from a member; `capturedAtWire` is when its first sample was captured, in the
   * wire's u32 ms of the sender's wall clock. `bytes` is only valid during the call.
   */
  voice?(
    from: TransportMember,
    sequence: number,
    bytes: Uint8Array,
    offset: number,
    length: number,
    capturedAtWire: number
  ): void
  memberJoined?(member: TransportMember): void
  /** They left, or were lost (silent for LOST_AFTER_MS). */
  memberLeft?(member: TransportMember, reason: 'left' | 'timeout'): void
  /** A member's auth or connection state changed. */
  memberChanged?(member: TransportMember): void
  /** The room's own connection changed. */
  roomChanged?(): void
}

/**
 * How voice reaches the others in the room: Steam P2P in a lobby, or UDP on the LAN. Both speak
 * the same wire protocol and accept voice only from members of the room.
 */
export interface RoomTransport {
  readonly localId: bigint
  readonly members: ReadonlyMap<bigint, TransportMember>
  readonly stats: TransportStats
  readonly connection: RoomConnection
  setHandlers(handlers: TransportHandlers): void
  /**
   * To every member, unreliably and at once; `capturedAt`: its first sample's capture time
   * (performance.now() ms). Packets too big for a datagram are split. False when it could not go
   * out at all (counted in `stats.unsent`).
   */
  sendVoice(packet: Uint8Array, length: number, capturedAt: number): boolean
  /** Our name changed (LAN; on Steam the persona name is Steam's): every member is told at once. */
  setName?(name: string): void
  close(): Promise<void>
}

export function newTransportStats(): TransportStats {
  return {
    sent: 0,
    received: 0,
    dropped: { malformed: 0, unauthenticated: 0, duplicate: 0, refused: 0, errors: 0 },
    unsent: { tooBig: 0, refused: 0 }
  }
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

/** Keeps, of the keepalive exchanges seen, the clock offset from the one with the shortest round trip. */
export function updateClockOffset(
  member: { clockOffsetMs: number; bestRttMs?: number },
  sentAtWall: number,
  theirAtWall: number,
  receivedAtWall: number
): void {
  const rtt = receivedAtWall - sentAtWall
  if (member.bestRttMs !== undefined && rtt > member.bestRttMs * 1.5 + 1) return
  member.bestRttMs = Math.min(member.bestRttMs ?? Infinity, rtt)
  member.clockOffsetMs = theirAtWall - (sentAtWall + receivedAtWall) / 2
}
