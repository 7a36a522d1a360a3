import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { chmod, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../logging/logger'
import { writeFileAtomic } from '../settings/atomic-write'
import { FileTooLargeError, readSmallFile } from '../settings/small-file'

export const IDENTITY_FILE_NAME = 'identity.json'

/** This install's Ed25519 identity: who we are on the LAN. */
export interface LanIdentity {
  privateKey: KeyObject
  publicKey: KeyObject
  /** The raw 32-byte public key, as tickets carry it. */
  publicRaw: Uint8Array
  /** Derived from the public key, so a ticket's issuer id can be checked against its key. */
  steamId: bigint
}

const IdentityFileSchema = z.strictObject({ version: z.literal(1), privateKey: z.string().max(200) })

/**
 * A LAN id: the first 64 bits of SHA-256 of the Ed25519 public key. Claiming someone's id means
 * finding a key with the same 64 bits (2^64 work), not 2^32 as with an id inside Steam's format.
 * (Zero, which no member may have, comes out once in 2^64 keys; such a key is refused.)
 */
export function lanSteamIdFor(publicRaw: Uint8Array): bigint {
  const digest = createHash('sha256').update(publicRaw).digest()
  return digest.readBigUInt64LE(0)
}

// An Ed25519 or X25519 SPKI DER is a 12-byte header (naming the curve) and the 32-byte key.
const SPKI_PREFIX = {
  ed25519: Buffer.from('302a300506032b6570032100', 'hex'),
  x25519: Buffer.from('302a300506032b656e032100', 'hex')
}

export function rawPublicKey(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
}

/** The inverse of rawPublicKey: a 32-byte key as a node:crypto public key. Throws on a bad key. */
export function publicKeyFromRaw(curve: keyof typeof SPKI_PREFIX, raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX[curve], raw]), format: 'der', type: 'spki' })
}

export function identityFromPrivateKey(privateKey: KeyObject): LanIdentity {
  const publicKey = createPublicKey(privateKey)
  const publicRaw = rawPublicKey(publicKey)
  return { privateKey, publicKey, publicRaw, steamId: lanSteamIdFor(publicRaw) }
}

export function generateIdentity(): LanIdentity {
  for (;;) {
    const identity = identityFromPrivateKey(generateKeyPairSync('ed25519').privateKey)
    if (identity.steamId !== 0n) return identity
  }
}

function parseIdentityFile(text: string): LanIdentity {
  const parsed = IdentityFileSchema.parse(JSON.parse(text))
  const privateKey = createPrivateKey({ key: Buffer.from(parsed.privateKey, 'base64'), format: 'der', type: 'pkcs8' })
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key')
  return identityFromPrivateKey(privateKey)
}

/** An identity file is about 150 bytes. */
const MAX_IDENTITY_BYTES = 4096

/**
 * Loads the identity beside the settings, creating it on first run (mode 0600; an existing file
 * others can read is made 0600 again on every load, and the log says so). A file that is not a
 * valid identity (or is far too big to be one) is kept aside as identity.json.corrupt-<time> and a
 * new one is made.
 */
export async function loadOrCreateIdentity(
  dataDir: string,
  logger: Logger,
  now = () => new Date()
): Promise<LanIdentity> {
  const file = path.join(dataDir, IDENTITY_FILE_NAME)
  if (process.platform !== 'win32') await ownerOnly(file, logger)
  let text: string | null
  try {
    text = await readSmallFile(file, MAX_IDENTITY_BYTES)
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error
    text = ''
  }
  if (text !== null) {
    try {
      return parseIdentityFile(text)
    } catch (error) {
      const keptAs = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`
      await rename(file, keptAs)
      const why = text === '' ? 'it is far larger than an identity' : (error as Error).message
      logger.warn(`identity.json was unreadable (${why}); kept as ${path.basename(keptAs)}, made a new identity`)
    }
  }
  const identity = generateIdentity()
  const der = identity.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, privateKey: der })}\n`, 0o600)
  logger.info(`created this install's LAN identity ${identity.steamId}`)
  return identity
}

/** A secret file anyone else on the machine can read is made owner-only again. */
async function ownerOnly(file: string, logger: Logger): Promise<void> {
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => null
  )
  if (mode === null || (mode & 0o077) === 0) return
  await chmod(file, 0o600)
  logger.warn(`${path.basename(file)} could be read by others (mode ${mode.toString(8)}); made it owner-only (600)`)
}
