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

/** Contract messages are small; anything bigger is not ours. */
export const MAX_CONTRACT_MESSAGE_BYTES = 64 * 1024

export const CONTRACT_WEBSOCKET_PATH = '/contract'
