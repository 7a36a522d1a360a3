import { SEAL_OVERHEAD } from '../auth/session-crypto'
/**
 * Parley's datagram format, the same on UDP (LAN mode) and Steam P2P. All little-endian:
 *
 *   0  u8   magic 0x50 ('P')
 *   1  u8   version (2)
 *   2  u8   type: 1 voice, 2 control, 3 handshake
 *   3  u8   flags: 0, or 1 = sealed (payload = u64 counter, ChaCha20-Poly1305 ciphertext, tag;
 *                        the header is the associated data)
 *   4  u64  sender id (the sender's SteamID64, or its LAN identity)
 *   12 u16  sequence, per sender and type: one per voice packet, however many members it goes to
 *   14 u32  timestamp, ms on the sender's wall clock (wraps): for voice, when the packet's first
 *           sample was captured; for control, when it was sent
 *   18 u16  payload length
 *   20      payload: voice = the Steam voice packet unchanged; control = UTF-8 JSON;
 *           handshake = u8 step (1 to 3), u32 exchange (the initiator's random number, echoed
 *           in every step), then that Noise message (never sealed)
 *
 * Parsing is strict and total: anything that does not fit exactly is refused, never thrown.
 */

export const WIRE_MAGIC = 0x50
export const WIRE_VERSION = 2
export const WIRE_VOICE = 1
export const WIRE_CONTROL = 2
export const WIRE_HANDSHAKE = 3
export const WIRE_HEADER_BYTES = 20
/** A handshake payload's step and exchange, before the Noise message. */
export const HANDSHAKE_PREFIX_BYTES = 5
/** Fits one Ethernet-MTU datagram with IP/UDP headers to spare, and Steam's unreliable limit. */
export const MAX_DATAGRAM_BYTES = 1200
export const MAX_PAYLOAD_BYTES = MAX_DATAGRAM_BYTES - WIRE_HEADER_BYTES

export type WireType = typeof WIRE_VOICE | typeof WIRE_CONTROL | typeof WIRE_HANDSHAKE
export const FLAG_SEALED = 1

/** What sealing needs: encrypt `plaintext` into `out` after the header already written there. */
export interface Sealer {
  seal(out: Uint8Array, headerBytes: number, plaintext: Uint8Array, length: number): number
}

/** A parsed header, reused across datagrams: valid until the next parse. */
export class WireView {
  type: WireType = WIRE_VOICE
  flags = 0
  senderLow = 0
  senderHigh = 0
  sequence = 0
  timestamp = 0
  payloadOffset = WIRE_HEADER_BYTES
  payloadLength = 0
}

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8)
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0

/** True when `bytes[0..length)` is one well-formed datagram; fills `into`. */
export function parseDatagram(bytes: Uint8Array, length: number, into: WireView): boolean {
  if (length < WIRE_HEADER_BYTES || length > MAX_DATAGRAM_BYTES || length > bytes.length) return false
  if (bytes[0] !== WIRE_MAGIC || bytes[1] !== WIRE_VERSION || (bytes[3] !== 0 && bytes[3] !== FLAG_SEALED)) return false
  const type = bytes[2]
  if (type !== WIRE_VOICE && type !== WIRE_CONTROL && type !== WIRE_HANDSHAKE) return false
  if (type === WIRE_HANDSHAKE && bytes[3] !== 0) return false
  const payloadLength = u16(bytes, 18)
  if (payloadLength === 0 || WIRE_HEADER_BYTES + payloadLength !== length) return false
  into.type = type
  into.flags = bytes[3]!
  into.senderLow = u32(bytes, 4)
  into.senderHigh = u32(bytes, 8)
  into.sequence = u16(bytes, 12)
  into.timestamp = u32(bytes, 14)
  into.payloadOffset = WIRE_HEADER_BYTES
  into.payloadLength = payloadLength
  return true
}

/**
 * Writes one sender's datagrams into buffers the caller provides. Sequence numbers are the
 * caller's to take (`next`): a voice packet sent to five members is one packet, with one number.
 */
export class DatagramWriter {
  private readonly sequences = [0, 0, 0, 0]

  constructor(
    readonly senderLow: number,
    readonly senderHigh: number
  ) {}

  /** The next sequence number of a type (u16, wrapping). */
  next(type: WireType): number {
    const sequence = this.sequences[type]!
    this.sequences[type] = (sequence + 1) & 0xffff
    return sequence
  }

  /**
   * Wraps `payload[0..length)` into `b` with its sequence number and timestamp (wall-clock ms);
   * returns the datagram's length, or -1 if the payload is too big.
   */
  write(
    b: Uint8Array,
    type: WireType,
    sequence: number,
    timestamp: number,
    payload: Uint8Array,
    length: number
  ): number {
    if (length <= 0 || length > MAX_PAYLOAD_BYTES || b.length < WIRE_HEADER_BYTES + length) return -1
    this.header(b, type, 0, sequence, timestamp, length)
    for (let i = 0; i < length; i++) b[WIRE_HEADER_BYTES + i] = payload[i]!
    return WIRE_HEADER_BYTES + length
  }

  /** Like `write`, but the payload is encrypted for one member by `sealer`. */
  writeSealed(
    b: Uint8Array,
    type: WireType,
    sequence: number,
    timestamp: number,
    payload: Uint8Array,
    length: number,
    sealer: Sealer
  ): number {
    const sealed = length + SEAL_OVERHEAD
    if (length <= 0 || sealed > MAX_PAYLOAD_BYTES || b.length < WIRE_HEADER_BYTES + sealed) return -1
    this.header(b, type, FLAG_SEALED, sequence, timestamp, sealed)
    return sealer.seal(b, WIRE_HEADER_BYTES, payload, length)
  }

  private header(
    b: Uint8Array,
    type: WireType,
    flags: number,
    sequence: number,
    timestamp: number,
    payloadLength: number
  ): void {
    b[0] = WIRE_MAGIC
    b[1] = WIRE_VERSION
    b[2] = type
    b[3] = flags
    put32(b, 4, this.senderLow)
    put32(b, 8, this.senderHigh)
    put16(b, 12, sequence)
    put32(b, 14, wireTimestamp(timestamp))
    put16(b, 18, payloadLength)
  }
}

/** Milliseconds as the header carries them (u32, wrapping). */
export function wireTimestamp(ms: number): number {
  return Math.floor(ms) >>> 0
}

/** `now - sent` in ms across the u32 wrap, for timestamps within ±24 days. */
export function elapsedSinceWire(nowMs: number, sent: number): number {
  return ((wireTimestamp(nowMs) - sent) | 0) as number
}

function put16(b: Uint8Array, at: number, value: number): void {
  b[at] = value & 0xff
  b[at + 1] = (value >>> 8) & 0xff
}

function put32(b: Uint8Array, at: number, value: number): void {
  put16(b, at, value & 0xffff)
  put16(b, at + 2, (value >>> 16) & 0xffff)
}

/** The wall clock every peer stamps with: epoch milliseconds, so peers on one machine agree. */
export const wallClock = (): number => performance.timeOrigin + performance.now()

/** A time on this process's performance.now() clock as wall-clock ms. */
export const toWallClock = (performanceMs: number): number => performance.timeOrigin + performanceMs
