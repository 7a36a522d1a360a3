import { createRequire } from 'node:module'
import type NoiseType from 'noise-handshake'

/**
 * The key exchange between two members: Noise XX over X25519, ChaChaPoly and BLAKE2b
 * (Noise_XX_25519_ChaChaPoly_BLAKE2b), implemented by noise-handshake (holepunchto, on libsodium).
 * Three messages; both sides learn each other's static key, and the session keys have forward
 * secrecy (fresh ephemerals each time):
 *
 *   initiator → responder   e
 *   responder → initiator   e, ee, s, es
 *   initiator → responder   s, se
 *
 * The static keys here are made per run: who a member *is* is proven afterwards, inside the
 * session, by a ticket bound to this handshake's hash (lan-ticket.ts), so a ticket seen or
 * replayed elsewhere never verifies. docs/auth.md has the whole protocol on one page.
 */
const Noise = createRequire(import.meta.url)('noise-handshake') as typeof NoiseType
const sodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_scalarmult(out: Uint8Array, secretKey: Uint8Array, publicKey: Uint8Array): void
  crypto_scalarmult_base(out: Uint8Array, secretKey: Uint8Array): void
  crypto_kx_keypair(publicKey: Uint8Array, secretKey: Uint8Array): void
  sodium_is_zero(buffer: Uint8Array): boolean
}

/** Binds both sides to this protocol and version: a handshake for anything else fails. */
const PROLOGUE = new TextEncoder().encode('parley lan v2')
export const HANDSHAKE_MESSAGE_BYTES = [32, 32 + 48 + 16, 48 + 16] as const

/**
 * X25519 for Noise, refusing what must be refused before use: a public key of the wrong size,
 * and any result of all zeros, which is what every low-order point gives (libsodium refuses those
 * too; this says so where a reviewer looks).
 */
const curve = {
  DHLEN: 32,
  PKLEN: 32,
  SKLEN: 32,
  ALG: '25519',
  generateKeyPair(secretKey?: Uint8Array) {
    const publicKey = new Uint8Array(32)
    if (secretKey) {
      sodium.crypto_scalarmult_base(publicKey, secretKey)
      return { publicKey, secretKey }
    }
    const fresh = new Uint8Array(32)
    sodium.crypto_kx_keypair(publicKey, fresh)
    return { publicKey, secretKey: fresh }
  },
  dh(publicKey: Uint8Array, keyPair: { secretKey: Uint8Array }) {
    if (publicKey.byteLength !== 32) throw new Error('bad public key length')
    const shared = new Uint8Array(32)
    sodium.crypto_scalarmult(shared, keyPair.secretKey, publicKey)
    if (sodium.sodium_is_zero(shared)) throw new Error('low-order public key')
    return shared
  }
}

/** A member's static X25519 key pair: made once per run, the same in all its handshakes. */
export interface StaticKeyPair {
  publicKey: Uint8Array
  secretKey: Uint8Array
}

export function newStaticKeyPair(): StaticKeyPair {
  return curve.generateKeyPair()
}

export interface SessionKeys {
  send: Uint8Array
  receive: Uint8Array
  /** The handshake hash: what tickets bind to (64 bytes). */
  binding: Uint8Array
  /** Their static key: the same in every handshake of one run of theirs (a new one means they restarted). */
  remoteStatic: Uint8Array
}

/**
 * One side of one handshake. Every step returns null instead of throwing when a message is
 * wrong in any way (size, a low-order key, a failed tag); the handshake is then dead and the
 * caller forgets it.
 */
export class Handshake {
  private readonly noise: NoiseType
  private failed = false
  /** The responder's first step takes the first message. */
  private first = true
  /** The last message this side sent, to send again if it was lost. */
  lastSent: Uint8Array | null = null
  keys: SessionKeys | null = null

  private constructor(
    readonly initiator: boolean,
    staticKeys: StaticKeyPair
  ) {
    this.noise = new Noise('XX', initiator, staticKeys, { curve })
    this.noise.initialise(PROLOGUE)
  }

  /** Starts as the initiator; its first message is lastSent. */
  static initiate(staticKeys: StaticKeyPair = newStaticKeyPair()): Handshake {
    const handshake = new Handshake(true, staticKeys)
    handshake.first = false
    handshake.lastSent = handshake.noise.send()
    return handshake
  }

  /** Answers a first message as the responder (lastSent: the answer), or null if it is not one. */
  static respond(first: Uint8Array, staticKeys: StaticKeyPair = newStaticKeyPair()): Handshake | null {
    if (first.length !== HANDSHAKE_MESSAGE_BYTES[0]) return null
    const handshake = new Handshake(false, staticKeys)
    if (!handshake.step(first)) return null
    return handshake
  }

  get complete(): boolean {
    return this.keys !== null
  }

  /** The next message from the other side; true if it was right (lastSent then holds our answer, if any). */
  step(message: Uint8Array): boolean {
    if (this.failed || this.keys) return false
    // The initiator expects the second message, the responder the third; each has one size.
    if (message.length !== HANDSHAKE_MESSAGE_BYTES[this.initiator ? 1 : 2] && !(this.first && !this.initiator)) {
      return false
    }
    this.first = false
    try {
      // A copy: noise-handshake keeps views of what it reads and zeroes them when done.
      this.noise.recv(new Uint8Array(message))
      if (!this.noise.complete) {
        this.lastSent = this.noise.send()
      }
      if (this.noise.complete) this.finish()
      return true
    } catch {
      this.failed = true
      return false
    }
  }

  private finish(): void {
    this.keys = {
      send: new Uint8Array(this.noise.tx),
      receive: new Uint8Array(this.noise.rx),
      binding: new Uint8Array(this.noise.hash),
      remoteStatic: new Uint8Array(this.noise.rs!)
    }
  }
}
