import { sign, verify } from 'node:crypto'
import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import { lanSteamIdFor, publicKeyFromRaw, type LanIdentity } from './lan-identity'

/**
 * The LAN's equivalent of a Steam auth session ticket: proof that the sender holds the Ed25519
 * key its LAN id is the hash of, made for one member and one session. It travels only inside an
 * encrypted session (handshake.ts) and signs that session's handshake hash, so it is worth
 * nothing anywhere else: not to an eavesdropper (who never sees it), not replayed into another
 * session (whose hash differs), not to another member (the audience differs). All little-endian:
 *
 *   0   u8    version (2)
 *   1   32    issuer's Ed25519 public key (its LAN id is the first 8 bytes of SHA-256 of it)
 *   33  u64   audience: the one member this is for
 *   41  64    Ed25519 signature over CONTEXT ‖ audience ‖ issuer key ‖ the handshake hash
 */
export const LAN_TICKET_VERSION = 2
export const LAN_TICKET_BYTES = 105
const CONTEXT = Buffer.from('parley lan ticket v2\0')
export const BINDING_BYTES = 64

function signedBytes(issuerKey: Uint8Array, audience: bigint, binding: Uint8Array): Buffer {
  const audienceBytes = Buffer.alloc(8)
  const { low, high } = splitSteamId(audience)
  audienceBytes.writeUInt32LE(low, 0)
  audienceBytes.writeUInt32LE(high, 4)
  return Buffer.concat([CONTEXT, audienceBytes, issuerKey, binding])
}

export function issueLanTicket(identity: LanIdentity, audience: bigint, binding: Uint8Array): Uint8Array {
  if (binding.length !== BINDING_BYTES) throw new Error('a LAN ticket binds to a 64-byte handshake hash')
  const bytes = Buffer.alloc(LAN_TICKET_BYTES)
  bytes[0] = LAN_TICKET_VERSION
  bytes.set(identity.publicRaw, 1)
  bytes.writeUInt32LE(splitSteamId(audience).low, 33)
  bytes.writeUInt32LE(splitSteamId(audience).high, 37)
  sign(null, signedBytes(identity.publicRaw, audience, binding), identity.privateKey).copy(bytes, 41)
  return new Uint8Array(bytes)
}

export type TicketCheck =
  { ok: true; issuer: bigint } | { ok: false; reason: 'malformed' | 'version' | 'signature' | 'issuer' | 'audience' }

/**
 * Checks a ticket's form, its signature over this session's binding, that its key is the
 * claimed issuer's, and that it is for us. Never throws.
 */
export function checkLanTicket(bytes: Uint8Array, claimedIssuer: bigint, us: bigint, binding: Uint8Array): TicketCheck {
  if (bytes.length !== LAN_TICKET_BYTES || binding.length !== BINDING_BYTES) return { ok: false, reason: 'malformed' }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (buffer[0] !== LAN_TICKET_VERSION) return { ok: false, reason: 'version' }
  const issuerKey = new Uint8Array(buffer.subarray(1, 33))
  const audience = joinSteamId(buffer.readUInt32LE(33), buffer.readUInt32LE(37))
  if (audience !== us) return { ok: false, reason: 'audience' }
  const issuer = lanSteamIdFor(issuerKey)
  if (issuer !== claimedIssuer) return { ok: false, reason: 'issuer' }
  let valid: boolean
  try {
    valid = verify(
      null,
      signedBytes(issuerKey, audience, binding),
      publicKeyFromRaw('ed25519', issuerKey),
      buffer.subarray(41)
    )
  } catch {
    valid = false // not a point on the curve
  }
  return valid ? { ok: true, issuer } : { ok: false, reason: 'signature' }
}
