import { sodium } from './sodium'

/** Sealed payloads: an 8-byte counter, the ciphertext, a 16-byte Poly1305 tag. */
export const SEAL_OVERHEAD = 24
const TAG_BYTES = 16
const WINDOW = 64
/** The largest payload a datagram can carry (wire-protocol.ts). */
const MAX_PLAIN = 1200

/**
 * Views of one scratch buffer, one per length, made once: libsodium takes whole views, and making
 * a new one per datagram would allocate on the hot path.
 */
class ScratchViews {
  readonly bytes: Uint8Array
  private readonly views: Uint8Array[] = []
  constructor(size: number) {
    this.bytes = new Uint8Array(size)
  }
  of(length: number): Uint8Array {
    return (this.views[length] ??= this.bytes.subarray(0, length))
  }
}

/**
 * ChaCha20-Poly1305 for one member's datagrams, the header as associated data, and replay
 * protection: a datagram whose counter was already seen, or is older than the 64 before the
 * newest, is refused. Nothing is allocated per datagram.
 */
export class SessionCrypto {
  private sendCounter = 0
  private highest = -1
  /** Which of the WINDOW counters below `highest` were seen (bit i: highest - i), low and high words. */
  private seenLow = 0
  private seenHigh = 0
  replays = 0
  private readonly nonce = new Uint8Array(12)
  private readonly plain = new ScratchViews(MAX_PLAIN)
  private readonly sealed = new ScratchViews(MAX_PLAIN + TAG_BYTES)
  private readonly header = new ScratchViews(64)

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array
  ) {}

  /** Encrypts `plaintext` into `out` after the header (already written at out[0..headerBytes)). */
  seal(out: Uint8Array, headerBytes: number, plaintext: Uint8Array, length: number): number {
    const counter = this.sendCounter++
    writeCounter(this.nonce, 4, counter)
    writeCounter(out, headerBytes, counter)
    const message = this.plain.of(length)
    for (let i = 0; i < length; i++) message[i] = plaintext[i]!
    const ad = this.copyHeader(out, headerBytes)
    const sealed = this.sealed.of(length + TAG_BYTES)
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(sealed, message, ad, null, this.nonce, this.sendKey)
    const at = headerBytes + 8
    for (let i = 0; i < sealed.length; i++) out[at + i] = sealed[i]!
    return headerBytes + SEAL_OVERHEAD + length
  }

  /**
   * The plaintext (a view of a buffer this object reuses: valid until the next open), or null
   * when forged, tampered or replayed.
   */
  open(datagram: Uint8Array, headerBytes: number, payloadLength: number): Uint8Array | null {
    if (payloadLength < SEAL_OVERHEAD) return null
    const n = readCounter(datagram, headerBytes)
    if (n < 0) return null
    // Authenticated first, then judged by the window: only a genuine datagram seen before counts
    // as a replay (or the network's duplicate); anything that fails its tag is a forgery.
    const stale = !this.fresh(n)
    writeCounter(this.nonce, 4, n)
    const sealed = this.sealed.of(payloadLength - 8)
    const from = headerBytes + 8
    for (let i = 0; i < sealed.length; i++) sealed[i] = datagram[from + i]!
    const plain = this.plain.of(payloadLength - SEAL_OVERHEAD)
    try {
      sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
        plain,
        null,
        sealed,
        this.copyHeader(datagram, headerBytes),
        this.nonce,
        this.receiveKey
      )
    } catch {
      return null
    }
    if (stale) {
      this.replays++
      return null
    }
    this.remember(n)
    return plain
  }

  private copyHeader(from: Uint8Array, headerBytes: number): Uint8Array {
    const header = this.header.of(headerBytes)
    for (let i = 0; i < headerBytes; i++) header[i] = from[i]!
    return header
  }

  private fresh(n: number): boolean {
    if (n > this.highest) return true
    const age = this.highest - n
    return age < WINDOW && !this.seen(age)
  }

  private seen(age: number): boolean {
    return age < 32 ? ((this.seenLow >>> age) & 1) === 1 : ((this.seenHigh >>> (age - 32)) & 1) === 1
  }

  private remember(n: number): void {
    if (n > this.highest) {
      this.shift(this.highest < 0 ? WINDOW : n - this.highest)
      this.seenLow |= 1
      this.highest = n
    } else {
      const age = this.highest - n
      if (age < 32) this.seenLow |= 1 << age
      else this.seenHigh |= 1 << (age - 32)
    }
  }

  /** Ages every remembered counter by `by` (the window slides up). */
  private shift(by: number): void {
    if (by >= WINDOW) {
      this.seenLow = 0
      this.seenHigh = 0
    } else if (by >= 32) {
      this.seenHigh = by === 32 ? this.seenLow : this.seenLow << (by - 32)
      this.seenLow = 0
    } else if (by > 0) {
      this.seenHigh = (this.seenHigh << by) | (this.seenLow >>> (32 - by))
      this.seenLow = this.seenLow << by
    }
  }
}

/** A counter below 2^53 as 8 little-endian bytes. */
function writeCounter(into: Uint8Array, at: number, value: number): void {
  const low = value >>> 0
  const high = Math.floor(value / 0x100000000)
  into[at] = low & 0xff
  into[at + 1] = (low >>> 8) & 0xff
  into[at + 2] = (low >>> 16) & 0xff
  into[at + 3] = low >>> 24
  into[at + 4] = high & 0xff
  into[at + 5] = (high >>> 8) & 0xff
  into[at + 6] = (high >>> 16) & 0xff
  into[at + 7] = high >>> 24
}

/** The counter, or -1 past 2^53 (no session lives that long). */
function readCounter(from: Uint8Array, at: number): number {
  const low = (from[at]! | (from[at + 1]! << 8) | (from[at + 2]! << 16) | (from[at + 3]! << 24)) >>> 0
  const high = (from[at + 4]! | (from[at + 5]! << 8) | (from[at + 6]! << 16) | (from[at + 7]! << 24)) >>> 0
  if (high > 0x1fffff) return -1
  return high * 0x100000000 + low
}
