import { z } from 'zod'

/** SteamID64s travel as decimal strings in JSON (they exceed a double's exact range). */
const MemberIdSchema = z
  .string()
  .regex(/^\d{1,20}$/)
  .refine((s) => BigInt(s) <= 0xffffffffffffffffn && BigInt(s) > 0n)
const NameSchema = z
  .string()
  .min(1)
  .max(32)
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s))
const AddressSchema = z
  .string()
  .max(64)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[0-9.]+):\d{1,5}$/)

export const ControlMessageSchema = z.discriminatedUnion('kind', [
  /** I want to be in your room (LAN), or I just joined the lobby (Steam). */
  z.strictObject({ kind: z.literal('hello'), name: NameSchema, protocol: z.literal(1) }),
  /** You are in; here is who else is. */
  z.strictObject({
    kind: z.literal('welcome'),
    name: NameSchema,
    members: z.array(z.strictObject({ id: MemberIdSchema, name: NameSchema, address: AddressSchema })).max(64)
  }),
  z.strictObject({ kind: z.literal('ping'), nonce: z.int().min(0).max(0xffffffff) }),
  /** `at`: the answerer's wall clock (epoch ms) when it answered, for the clock offset. */
  z.strictObject({
    kind: z.literal('pong'),
    nonce: z.int().min(0).max(0xffffffff),
    at: z
      .number()
      .min(0)
      .max(2 ** 53)
  }),
  z.strictObject({ kind: z.literal('leave') }),
  /** An auth session ticket made for the receiver (base64); answered by auth-ok once accepted. */
  z.strictObject({
    kind: z.literal('auth'),
    ticket: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  }),
  z.strictObject({ kind: z.literal('auth-ok') }),
  /** "A room is here": LAN discovery. */
  z.strictObject({ kind: z.literal('beacon'), name: NameSchema, members: z.int().min(1).max(64) })
])
export type ControlMessage = z.infer<typeof ControlMessageSchema>

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeControl(message: ControlMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message))
}

/** The message, or null for anything that is not exactly one of ours. */
export function decodeControl(bytes: Uint8Array, offset: number, length: number): ControlMessage | null {
  let json: unknown
  try {
    json = JSON.parse(decoder.decode(bytes.subarray(offset, offset + length)))
  } catch {
    return null
  }
  const parsed = ControlMessageSchema.safeParse(json)
  return parsed.success ? parsed.data : null
}
