import type { EventChannel, InvokeChannel } from '@shared/channels'
import type { ContractErrorCode, EventPayload, InvokeArgs, InvokeResponse, ParleyApi } from '@shared/contract'
import { NO_ANSWER, requestTimeoutMs } from '@shared/request-timeouts'

/** A refusal or failure reported by main, with its contract error code. */
export class ContractCallError extends Error {
  override name = 'ContractCallError'
  constructor(
    readonly code: ContractErrorCode | 'disconnected',
    message: string
  ) {
    super(message)
  }
}

export interface ContractClient {
  call<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResponse<C>>
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  /** Main lost (false) and back (true); never called where main cannot be lost (Electron). */
  onConnection(listener: (connected: boolean) => void): () => void
}

/**
 * Unwraps the contract's result envelope so UI code deals in values and thrown errors. Nothing
 * waits forever: a request main never answers (Electron's IPC has no timeout of its own) fails
 * after the same time as over the WebSocket.
 */
export function createContractClient(api: ParleyApi): ContractClient {
  return {
    async call(channel, ...args) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ContractCallError('failed', NO_ANSWER)), requestTimeoutMs(channel) + 500)
      })
      try {
        const result = await Promise.race([api.invoke(channel, ...args), timedOut])
        if (!result.ok) throw new ContractCallError(result.error.code, result.error.message)
        return result.value
      } finally {
        clearTimeout(timer)
      }
    },
    on: (event, listener) => api.on(event, listener),
    onConnection: (listener) => api.onConnection?.(listener) ?? (() => {})
  }
}
