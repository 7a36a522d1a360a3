import type { InvokeChannel } from '../../../shared/channels'
import { isInvokeChannel } from '../../../shared/channels'
import {
  describeIssues,
  invokeContract,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeResult
} from '../../../shared/contract'

export type Handlers = {
  [C in InvokeChannel]: (payload: InvokeRequest<C>) => Promise<InvokeResponse<C>> | InvokeResponse<C>
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<InvokeResult<unknown>>

/** An error whose message is fit to show the caller (anything else is reported generically). */
export class CallerError extends Error {
  override name = 'CallerError'
}

/**
 * The single entry point both transports call: checks the channel and the payload against the
 * contract before a handler sees it, and never throws.
 */
export function createDispatcher(handlers: Handlers, onUnexpected: (error: unknown) => void): Dispatch {
  return async (channel, payload) => {
    if (!isInvokeChannel(channel)) {
      return { ok: false, error: { code: 'unknown-channel', message: `no such call: ${String(channel).slice(0, 64)}` } }
    }
    const parsed = invokeContract[channel].request.safeParse(payload)
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-payload', message: `${channel}: ${describeIssues(parsed.error)}` } }
    }
    try {
      const handler = handlers[channel] as (payload: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      if (error instanceof CallerError) return { ok: false, error: { code: 'failed', message: error.message } }
      onUnexpected(error)
      return { ok: false, error: { code: 'failed', message: `${channel} failed; see the log` } }
    }
  }
}
