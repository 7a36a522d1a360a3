import { z } from 'zod'

/**
 * How the contract travels over the browser host's WebSocket. Electron IPC needs no envelope;
 * this is only the framing, the payloads are checked against the contract itself.
 */
export const ClientMessageSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown().optional()
})
export type ClientMessage = z.infer<typeof ClientMessageSchema>

export type ServerMessage =
  { type: 'result'; id: number; result: unknown } | { type: 'event'; event: string; payload: unknown }

/** Contract messages are small; anything bigger is not ours (a 9600-sample push is ~26 KB). */
export const MAX_CONTRACT_MESSAGE_BYTES = 64 * 1024

export const CONTRACT_WEBSOCKET_PATH = '/contract'
/** Binary playback frames (see playback-frame.ts), main to page only. */
export const PLAYBACK_WEBSOCKET_PATH = '/playback'
/** Binary capture frames (see capture-frame.ts), page to main only. */
export const CAPTURE_WEBSOCKET_PATH = '/capture'

// JSON has no typed arrays; Electron's structured clone does. Over the WebSocket an Int16Array
// travels as {"$int16": base64} and comes back as an Int16Array, so the contract's schemas see
// the same values on both transports.
const INT16_TAG = '$int16'

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Int16Array
      ? { [INT16_TAG]: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
      : value
  )
}

/** Parses a message; a malformed tag is left as it is for the schema to refuse. Throws on bad JSON. */
export function decodeMessage(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return value
    const encoded = (value as Record<string, unknown>)[INT16_TAG]
    if (typeof encoded !== 'string') return value
    const bytes = base64ToBytes(encoded)
    if (!bytes || bytes.length % 2 !== 0) return value
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)
  })
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null
  try {
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return null
  }
}
