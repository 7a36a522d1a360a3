import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../logging/logger'
import { writeFileAtomic } from '../settings/atomic-write'

export const IDENTITY_FILE_NAME = 'identity.json'
/** Steam's individual-account base: LAN ids look like, and never collide with, real ones' format. */
const INDIVIDUAL_BASE = 76561197960265728n

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

export function lanSteamIdFor(publicRaw: Uint8Array): bigint {
  const digest = createHash('sha256').update(publicRaw).digest()
  return INDIVIDUAL_BASE + BigInt(digest.readUInt32LE(0))
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
  return identityFromPrivateKey(generateKeyPairSync('ed25519').privateKey)
}

/**
 * Loads the identity beside the settings, creating it on first run (mode 0600). A file that is
 * not a valid identity is kept aside as identity.json.corrupt-<time> and a new one is made.
 */
export async function loadOrCreateIdentity(
  dataDir: string,
  logger: Logger,
  now = () => new Date()
): Promise<LanIdentity> {
  const file = path.join(dataDir, IDENTITY_FILE_NAME)
  let text: string | null = null
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (text !== null) {
    try {
      const parsed = IdentityFileSchema.parse(JSON.parse(text))
      const privateKey = createPrivateKey({
        key: Buffer.from(parsed.privateKey, 'base64'),
        format: 'der',
        type: 'pkcs8'
      })
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key')
      return identityFromPrivateKey(privateKey)
    } catch (error) {
      const keptAs = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`
      await rename(file, keptAs)
      logger.warn(
        `identity.json was unreadable (${(error as Error).message}); kept as ${path.basename(keptAs)}, made a new identity`
      )
    }
  }
  const identity = generateIdentity()
  const der = identity.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, privateKey: der })}\n`, 0o600)
  logger.info(`created this install's LAN identity ${identity.steamId}`)
  return identity
}
