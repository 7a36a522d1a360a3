import { createCipheriv, createDecipheriv, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto'
import { publicKeyFromRaw } from './lan-identity'

/** Sealed payloads: an 8-byte counter, the ciphertext, a 16-byte Poly1305 tag. */
export const SEAL_OVERHEAD = 24
const WINDOW = 64

/**
 * Directional keys for one pair of members, from an X25519 agreement between the session keys
 * their tickets carry. Each direction has its own key, so nonces never repeat across the pair.
 */
export function deriveSessionKeys(
  ourPrivate: KeyObject,
  theirPublicRaw: Uint8Array,
  us: bigint,
  them: bigint
): { send: Buffer; receive: Buffer } {
  const shared = diffieHellman({ privateKey: ourPrivate, publicKey: publicKeyFromRaw('x25519', theirPublicRaw) })
  const [low, high] = us < them ? [us, them] : [them, us]
  const salt = Buffer.from(`${low}:${high}`)
  const key = (from: bigint, to: bigint) => Buffer.from(hkdfSync('sha256', shared, salt, `parley v1 ${from}>${to}`, 32))
  return { send: key(us, them), receive: key(them, us) }
}

/**
 * ChaCha20-Poly1305 for one member's datagrams, the header as associated data, and replay
 * protection: a datagram whose counter was already seen, or is older than the 64 before the
 * newest, is refused.
 */
export class SessionCrypto {
  private sendCounter = 0
  private highest = -1
  private seen = 0n
  replays = 0

  constructor(
    private readonly sendKey: Buffer,
    private readonly receiveKey: Buffer
  ) {}

  /** Encrypts `plaintext` into `out` after the header (already written at out[0..headerBytes)). */
  seal(out: Buffer, headerBytes: number, plaintext: Uint8Array, length: number): number {
    const counter = this.sendCounter++
    const nonce = Buffer.alloc(12)
    nonce.writeBigUInt64LE(BigInt(counter), 4)
    out.writeBigUInt64LE(BigInt(counter), headerBytes)
    const cipher = createCipheriv('chacha20-poly1305', this.sendKey, nonce, { authTagLength: 16 })
    cipher.setAAD(out.subarray(0, headerBytes), { plaintextLength: length })
    const body = cipher.update(Buffer.from(plaintext.buffer, plaintext.byteOffset, length))
    cipher.final()
    body.copy(out, headerBytes + 8)
    cipher.getAuthTag().copy(out, headerBytes + 8 + length)
    return headerBytes + SEAL_OVERHEAD + length
  }

  /** The plaintext, or null when forged, tampered or replayed. */
  open(datagram: Uint8Array, headerBytes: number, payloadLength: number): Buffer | null {
    if (payloadLength < SEAL_OVERHEAD) return null
    const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength)
    const counter = bytes.readBigUInt64LE(headerBytes)
    if (counter > BigInt(Number.MAX_SAFE_INTEGER)) return null
    const n = Number(counter)
    if (!this.fresh(n)) {
      this.replays++
      return null
    }
    const nonce = Buffer.alloc(12)
    nonce.writeBigUInt64LE(counter, 4)
    const end = headerBytes + payloadLength
    try {
      const decipher = createDecipheriv('chacha20-poly1305', this.receiveKey, nonce, { authTagLength: 16 })
      decipher.setAAD(bytes.subarray(0, headerBytes), { plaintextLength: payloadLength - SEAL_OVERHEAD })
      decipher.setAuthTag(bytes.subarray(end - 16, end))
      const body = bytes.subarray(headerBytes + 8, end - 16)
      const plain = Buffer.concat([
        decipher.update(Buffer.from(body.buffer, body.byteOffset, body.length)),
        decipher.final()
      ])
      this.remember(n)
      return plain
    } catch {
      return null
    }
  }

  private fresh(n: number): boolean {
    if (n > this.highest) return true
    const age = this.highest - n
    return age < WINDOW && ((this.seen >> BigInt(age)) & 1n) === 0n
  }

  private remember(n: number): void {
    if (n > this.highest) {
      const shift = n - this.highest
      this.seen = shift >= WINDOW ? 1n : ((this.seen << BigInt(shift)) | 1n) & ((1n << BigInt(WINDOW)) - 1n)
      this.highest = n
    } else {
      this.seen |= 1n << BigInt(this.highest - n)
    }
  }
}
