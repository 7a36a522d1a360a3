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

/** Contract messages are small (settings, room state); anything bigger is not ours. */
export const MAX_CONTRACT_MESSAGE_BYTES = 64 * 1024

export const CONTRACT_WEBSOCKET_PATH = '/contract'
/** Binary playback frames (see playback-frame.ts), main to page only. */
export const PLAYBACK_WEBSOCKET_PATH = '/playback'
/** Binary capture frames (see capture-frame.ts), page to main only. */
export const CAPTURE_WEBSOCKET_PATH = '/capture'

// Plain JSON: nothing in the contract is binary (PCM goes on its own sockets, as binary frames).
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message)
}

/** Parses a message (the schemas check its shape). Throws on bad JSON. */
export function decodeMessage(text: string): unknown {
  return JSON.parse(text)
}
