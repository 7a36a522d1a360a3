import { afterEach, describe, expect, it, vi } from 'vitest'
import { createContractClient } from '../../../src/renderer/src/bridge/contract-client'
import type { ParleyApi } from '../../../src/shared/contract'
import { JOIN_TIMEOUT_MS, NO_ANSWER, REQUEST_TIMEOUT_MS } from '../../../src/shared/request-timeouts'

afterEach(() => vi.useRealTimers())

/** A main that never answers (hung, or busy forever). */
const silentMain: ParleyApi = { invoke: () => new Promise(() => {}), on: () => () => {} }

describe('the contract client', () => {
  it('fails a request main never answers, in words, instead of waiting forever', async () => {
    vi.useFakeTimers()
    const client = createContractClient(silentMain)
    const outcome = client.call('settings:get').catch((error: Error) => error.message)
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS + 1000)
    expect(await outcome).toBe(NO_ANSWER)
  })

  it('gives a join the longer time its tries take', async () => {
    vi.useFakeTimers()
    const client = createContractClient(silentMain)
    let settled = false
    const outcome = client.call('room:join', { code: '192.0.2.5:47700' }).catch((error: Error) => {
      settled = true
      return error.message
    })
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS + 1000)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(JOIN_TIMEOUT_MS)
    expect(await outcome).toBe(NO_ANSWER)
  })
})
