import { crc32 } from './crc32'

/**
 * Steam Voice's compressed packet format, as GetVoice returns it (see
 * shared/fixtures/steam-voice/README.md): SteamID64, then opcodes, then a CRC32 of all of it.
 * One parser and one writer; both work on caller-owned buffers and never allocate.
 */

export const OP_SILENCE = 0x00
export const OP_OPUS_PLC = 0x06
export const OP_SAMPLE_RATE = 0x0b
/** A frame length of 0xFFFF ends the speaker's stream: their encoder restarts after it. */
export const FRAME_END = 0xffff

/** What GetVoice hands out at most (Valve recommends an 8 KiB buffer). */
export const MAX_VOICE_PACKET_BYTES = 8192
const HEADER_BYTES = 8
const CRC_BYTES = 4
export const MAX_EVENTS = 1024

export const EVENT_FRAME = 1
export const EVENT_SILENCE = 2
export const EVENT_END = 3

export type ParseOutcome = 'ok' | 'bad-crc' | 'malformed'

/** A parsed packet: reused across parses, so it is only valid until the next one. */
export class VoicePacketView {
  steamIdLow = 0
  steamIdHigh = 0
  sampleRate = 0
  eventCount = 0
  readonly eventKind = new Uint8Array(MAX_EVENTS)
  /** Frame: its sequence number; silence: its sample count. */
  readonly eventValue = new Uint16Array(MAX_EVENTS)
  readonly frameOffset = new Uint16Array(MAX_EVENTS)
  readonly frameLength = new Uint16Array(MAX_EVENTS)
}

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8)
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0

/**
 * Checks and indexes the first `length` bytes of `bytes`. Strict and total: any structure
 * that does not fit exactly is 'malformed', nothing is read out of bounds, nothing throws.
 */
export function parseVoicePacket(bytes: Uint8Array, length: number, into: VoicePacketView): ParseOutcome {
  into.eventCount = 0
  into.sampleRate = 0
  if (length < HEADER_BYTES + 1 + CRC_BYTES || length > MAX_VOICE_PACKET_BYTES || length > bytes.length) {
    return 'malformed'
  }
  const end = length - CRC_BYTES
  if (crc32(bytes, 0, end) !== u32(bytes, end)) return 'bad-crc'
  into.steamIdLow = u32(bytes, 0)
  into.steamIdHigh = u32(bytes, 4)
  let i = HEADER_BYTES
  let events = 0
  while (i < end) {
    const op = bytes[i++]!
    if (op === OP_SAMPLE_RATE) {
      if (i + 2 > end) return 'malformed'
      into.sampleRate = u16(bytes, i)
      i += 2
    } else if (op === OP_SILENCE) {
      if (i + 2 > end || events >= MAX_EVENTS) return 'malformed'
      into.eventKind[events] = EVENT_SILENCE
      into.eventValue[events++] = u16(bytes, i)
      i += 2
    } else if (op === OP_OPUS_PLC) {
      if (i + 2 > end) return 'malformed'
      const chunkEnd = i + 2 + u16(bytes, i)
      i += 2
      if (chunkEnd > end) return 'malformed'
      while (i < chunkEnd) {
        if (i + 2 > chunkEnd || events >= MAX_EVENTS) return 'malformed'
        const frameLength = u16(bytes, i)
        i += 2
        if (frameLength === FRAME_END) {
          into.eventKind[events++] = EVENT_END
          i = chunkEnd // nothing after the end marker belongs to this stream
          break
        }
        if (frameLength === 0 || i + 2 + frameLength > chunkEnd) return 'malformed'
        into.eventKind[events] = EVENT_FRAME
        into.eventValue[events] = u16(bytes, i)
        into.frameOffset[events] = i + 2
        into.frameLength[events++] = frameLength
        i += 2 + frameLength
      }
    } else {
      return 'malformed'
    }
  }
  // Steam only speaks Opus at 24 kHz; a packet without its rate, or with another, is not one of its.
  if (into.sampleRate !== 24000) return 'malformed'
  into.eventCount = events
  return 'ok'
}

/** Builds packets into a buffer it owns: begin, add frames and silence, finish. */
export class VoicePacketWriter {
  readonly bytes = new Uint8Array(MAX_VOICE_PACKET_BYTES)
  private length = 0
  private chunkStart = -1

  constructor(
    private readonly steamIdLow: number,
    private readonly steamIdHigh: number,
    private readonly sampleRate = 24000
  ) {}

  begin(): void {
    const b = this.bytes
    this.put32(0, this.steamIdLow)
    this.put32(4, this.steamIdHigh)
    b[8] = OP_SAMPLE_RATE
    this.put16(9, this.sampleRate)
    this.length = 11
    this.chunkStart = -1
  }

  /** Bytes a frame of `frameLength` would add; lets callers stop before a size limit. */
  costOfFrame(frameLength: number): number {
    return (this.chunkStart < 0 ? 3 : 0) + 4 + frameLength
  }

  get size(): number {
    return this.length + CRC_BYTES
  }

  addFrame(sequence: number, frame: Uint8Array, frameLength: number, frameOffset = 0): void {
    this.openChunk()
    this.put16(this.length, frameLength)
    this.put16(this.length + 2, sequence & 0xffff)
    this.bytes.set(frame.subarray(frameOffset, frameOffset + frameLength), this.length + 4)
    this.length += 4 + frameLength
  }

  addEnd(): void {
    this.openChunk()
    this.put16(this.length, FRAME_END)
    this.length += 2
  }

  addSilence(samples: number): void {
    this.closeChunk()
    this.bytes[this.length] = OP_SILENCE
    this.put16(this.length + 1, samples)
    this.length += 3
  }

  /** Closes the packet with its CRC; returns its length in `bytes`. */
  finish(): number {
    this.closeChunk()
    this.put32(this.length, crc32(this.bytes, 0, this.length))
    this.length += CRC_BYTES
    return this.length
  }

  private openChunk(): void {
    if (this.chunkStart >= 0) return
    this.bytes[this.length] = OP_OPUS_PLC
    this.chunkStart = this.length + 1
    this.length += 3
  }

  private closeChunk(): void {
    if (this.chunkStart < 0) return
    this.put16(this.chunkStart, this.length - this.chunkStart - 2)
    this.chunkStart = -1
  }

  private put16(at: number, value: number): void {
    this.bytes[at] = value & 0xff
    this.bytes[at + 1] = (value >>> 8) & 0xff
  }

  private put32(at: number, value: number): void {
    this.put16(at, value & 0xffff)
    this.put16(at + 2, (value >>> 16) & 0xffff)
  }
}
