import { randomBytes, sign, verify } from 'node:crypto'
import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import { lanSteamIdFor, publicKeyFromRaw, type LanIdentity } from './lan-identity'

/**
 * The LAN's equivalent of a Steam auth session ticket: a statement signed with the issuer's
 * Ed25519 key. All little-endian:
 *
 *   0   u8    version (1)
 *   1   u64   issuer (its LAN SteamID, derived from the key below)
 *   9   32    issuer's Ed25519 public key
 *   41  u64   audience: the one account this ticket is for
 *   49  16    nonce (a ticket is good once)
 *   65  u64   issued, ms since the epoch
 *   73  u64   expiry, ms since the epoch
 *   81  32    the issuer's X25519 key for this session (agrees the session keys)
 *   113 64    Ed25519 signature over bytes 0..113
 */
export const LAN_TICKET_VERSION = 1
export const LAN_TICKET_BYTES = 177
const SIGNED_BYTES = 113
/** Tickets live a minute: long enough for a handshake over a slow link, short for a replay. */
export const LAN_TICKET_LIFETIME_MS = 60_000
/** Clocks on a LAN disagree a little. */
export const CLOCK_SKEW_MS = 30_000

export interface LanTicket {
  version: number
  issuer: bigint
  issuerKey: Uint8Array
  audience: bigint
  nonce: Uint8Array
  issued: number
  expiry: number
  sessionKey: Uint8Array
}

export function issueLanTicket(
  identity: LanIdentity,
  audience: bigint,
  sessionKey: Uint8Array,
  now: number
): Uint8Array {
  const bytes = Buffer.alloc(LAN_TICKET_BYTES)
  bytes[0] = LAN_TICKET_VERSION
  writeId(bytes, 1, identity.steamId)
  bytes.set(identity.publicRaw, 9)
  writeId(bytes, 41, audience)
  randomBytes(16).copy(bytes, 49)
  bytes.writeBigUInt64LE(BigInt(Math.floor(now)), 65)
  bytes.writeBigUInt64LE(BigInt(Math.floor(now + LAN_TICKET_LIFETIME_MS)), 73)
  bytes.set(sessionKey, 81)
  sign(null, bytes.subarray(0, SIGNED_BYTES), identity.privateKey).copy(bytes, SIGNED_BYTES)
  return new Uint8Array(bytes)
}

export type TicketCheck =
  | { ok: true; ticket: LanTicket }
  | { ok: false; reason: 'malformed' | 'version' | 'signature' | 'issuer' | 'audience' | 'expired' }

/** Parses and checks a ticket's form and signature, who it names, and when. Never throws. */
export function checkLanTicket(bytes: Uint8Array, claimedIssuer: bigint, us: bigint, now: number): TicketCheck {
  if (bytes.length !== LAN_TICKET_BYTES) return { ok: false, reason: 'malformed' }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (buffer[0] !== LAN_TICKET_VERSION) return { ok: false, reason: 'version' }
  const issuerKey = new Uint8Array(buffer.subarray(9, 41))
  let valid: boolean
  try {
    valid = verify(
      null,
      buffer.subarray(0, SIGNED_BYTES),
      publicKeyFromRaw('ed25519', issuerKey),
      buffer.subarray(SIGNED_BYTES)
    )
  } catch {
    valid = false
  }
  if (!valid) return { ok: false, reason: 'signature' }
  const ticket: LanTicket = {
    version: buffer[0]!,
    issuer: readId(buffer, 1),
    issuerKey,
    audience: readId(buffer, 41),
    nonce: new Uint8Array(buffer.subarray(49, 65)),
    issued: Number(buffer.readBigUInt64LE(65)),
    expiry: Number(buffer.readBigUInt64LE(73)),
    sessionKey: new Uint8Array(buffer.subarray(81, 113))
  }
  // The issuer id must be the key's, and the one the network says sent it.
  if (ticket.issuer !== lanSteamIdFor(issuerKey) || ticket.issuer !== claimedIssuer)
    return { ok: false, reason: 'issuer' }
  if (ticket.audience !== us) return { ok: false, reason: 'audience' }
  if (
    ticket.expiry <= now ||
    ticket.issued > now + CLOCK_SKEW_MS ||
    ticket.expiry - ticket.issued > LAN_TICKET_LIFETIME_MS
  ) {
    return { ok: false, reason: 'expired' }
  }
  return { ok: true, ticket }
}

function writeId(buffer: Buffer, at: number, id: bigint): void {
  const { low, high } = splitSteamId(id)
  buffer.writeUInt32LE(low, at)
  buffer.writeUInt32LE(high, at + 4)
}

function readId(buffer: Buffer, at: number): bigint {
  return joinSteamId(buffer.readUInt32LE(at), buffer.readUInt32LE(at + 4))
}
