import { isIP } from 'node:net'
import { z } from 'zod'

/**
 * Control messages: UTF-8 JSON, one per datagram, checked against these schemas and nothing
 * else. Every field is bounded, so no message can ask for unbounded work or memory. On the LAN
 * all but `beacon` travel sealed inside a member's session.
 */

const MAX_U64 = 0xffffffffffffffffn
/** SteamID64s travel as decimal strings in JSON (they exceed a double's exact range); 1..2^64-1. */
export const MemberIdSchema = z
  .string()
  .max(20)
  // The pattern is checked before BigInt sees the string, in the same function, so nothing throws.
  .refine((s) => /^[1-9]\d{0,19}$/.test(s) && BigInt(s) <= MAX_U64, 'not a 64-bit id')

/** Control and format characters are removed (they can reorder or hide text on screen), then 1 to 32 remain. */
export const NameSchema = z
  .string()
  .max(128)
  .transform((s) => s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '').trim())
  .pipe(z.string().min(1).max(32))

/** An IP literal (v4 or v6), never a host name: nothing a peer sends makes us resolve names. */
export const HostSchema = z
  .string()
  .max(45)
  .refine((s) => isIP(s) !== 0, 'not an IP address')
export const PortSchema = z.int().min(1).max(65535)

const NonceSchema = z.int().min(0).max(0xffffffff)
/** A whole ticket in base64: Steam's API gives up to 1024 bytes (1368 characters), the LAN's are 105 bytes. */
export const MAX_TICKET_CHARS = 1368
/** Tickets longer than this travel in parts, so each message fits one datagram whatever else it carries. */
export const TICKET_PART_CHARS = 600
const MAX_TICKET_PARTS = Math.ceil(MAX_TICKET_CHARS / TICKET_PART_CHARS)
/** A ticket, or one part of it, in base64. */
const TicketSchema = z
  .string()
  .min(4)
  .max(MAX_TICKET_CHARS)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/)

export const RosterEntrySchema = z.strictObject({
  id: MemberIdSchema,
  name: NameSchema,
  host: HostSchema,
  port: PortSchema
})
export type RosterEntry = z.infer<typeof RosterEntrySchema>

export const ControlMessageSchema = z.discriminatedUnion('kind', [
  /** Steam: I just joined the lobby; this is my name. */
  z.strictObject({ kind: z.literal('hello'), name: NameSchema, protocol: z.literal(2) }),
  /** Some of the members the sender has verified (a room's roster takes as many as it needs). */
  z.strictObject({ kind: z.literal('roster'), members: z.array(RosterEntrySchema).max(16) }),
  z.strictObject({ kind: z.literal('ping'), nonce: NonceSchema }),
  /** `at`: the answerer's wall clock (epoch ms) when it answered, for the clock offset. */
  z.strictObject({
    kind: z.literal('pong'),
    nonce: NonceSchema,
    at: z
      .number()
      .min(0)
      .max(2 ** 53)
  }),
  z.strictObject({ kind: z.literal('leave') }),
  /**
   * A ticket made for the receiver (and, on the LAN, for this session); answered by auth-ok once
   * accepted. LAN: `introduce` when the sender joins the room through the receiver, who then
   * tells it of everyone and everyone of it.
   */
  z.strictObject({
    kind: z.literal('auth'),
    name: NameSchema.optional(),
    ticket: TicketSchema,
    /** When the ticket is too long for one message: which part this is, of how many. */
    part: z
      .strictObject({ index: z.int().min(0), count: z.int().min(2).max(MAX_TICKET_PARTS) })
      .refine((part) => part.index < part.count, 'no such part')
      .optional(),
    introduce: z.literal(true).optional()
  }),
  z.strictObject({ kind: z.literal('auth-ok') }),
  /** "A room is here": LAN discovery, the one message in the clear. */
  z.strictObject({ kind: z.literal('beacon'), name: NameSchema, members: z.int().min(1).max(64) })
])
export type ControlMessage = z.infer<typeof ControlMessageSchema>
export type ControlMessageInput = z.input<typeof ControlMessageSchema>

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeControl(message: ControlMessageInput): Uint8Array {
  return encoder.encode(JSON.stringify(message))
}

/** The message, or null for anything that is not exactly one of ours. Never throws. */
export function decodeControl(bytes: Uint8Array, offset: number, length: number): ControlMessage | null {
  try {
    const parsed = ControlMessageSchema.safeParse(JSON.parse(decoder.decode(bytes.subarray(offset, offset + length))))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
