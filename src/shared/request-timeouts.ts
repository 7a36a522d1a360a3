import type { InvokeChannel } from './channels'

/** Every contract request is answered within this, or fails saying so, over IPC and WebSocket alike. */
export const REQUEST_TIMEOUT_MS = 8000
/** A join may take its 10 s of tries. */
export const JOIN_TIMEOUT_MS = 15_000

export const requestTimeoutMs = (channel: InvokeChannel): number =>
  channel === 'room:join' ? JOIN_TIMEOUT_MS : REQUEST_TIMEOUT_MS

export const NO_ANSWER = 'Parley did not answer in time. Try again.'
