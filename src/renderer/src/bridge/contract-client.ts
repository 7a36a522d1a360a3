import type { EventChannel, InvokeChannel } from '@shared/channels'
import type { ContractErrorCode, EventPayload, InvokeArgs, InvokeResponse, ParleyApi } from '@shared/contract'

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

/** Unwraps the contract's result envelope so UI code deals in values and thrown errors. */
export function createContractClient(api: ParleyApi): ContractClient {
  return {
    async call(channel, ...args) {
      const result = await api.invoke(channel, ...args)
      if (!result.ok) throw new ContractCallError(result.error.code, result.error.message)
      return result.value
    },
    on: (event, listener) => api.on(event, listener),
    onConnection: (listener) => api.onConnection?.(listener) ?? (() => {})
  }
}
