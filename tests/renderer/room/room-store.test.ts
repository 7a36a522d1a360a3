import { afterEach, describe, expect, it, vi } from 'vitest'
import { createContractClient } from '../../../src/renderer/src/bridge/contract-client'
import { createLevelThrottle } from '../../../src/renderer/src/room/level-throttle'
import { createRoomStore } from '../../../src/renderer/src/room/room-store'
import type { ParleyApi } from '../../../src/shared/contract'

afterEach(() => {
  vi.useRealTimers()
})

function fakeMain() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const invoke = vi.fn(async (channel: string, _payload?: unknown) => {
    if (channel === 'voice:setTalking') return { ok: true, value: 'talking' }
    return { ok: false, error: { code: 'unknown-channel', message: channel } }
  })
  const api = {
    invoke,
    on(event: string, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    }
  } as unknown as ParleyApi
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload))
  return { api, invoke, emit }
}

describe('createLevelThrottle', () => {
  it('hands on the latest level per speaker at most once per interval', () => {
    vi.useFakeTimers()
    const flushes: Array<Record<string, number>> = []
    const throttle = createLevelThrottle(
      (levels) => flushes.push(levels),
      33,
      () => Date.now()
    )
    // 1000 updates a second for a second, from two speakers.
    for (let ms = 0; ms < 1000; ms++) {
      throttle.push('a', -ms / 100)
      throttle.push('b', -20)
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(100)
    expect(flushes.length).toBeGreaterThanOrEqual(25)
    expect(flushes.length).toBeLessThanOrEqual(Math.ceil(1100 / 33))
    expect(flushes.at(-1)).toEqual({ a: -9.99, b: -20 })
  })
})

describe('the room store', () => {
  it('reaches React at most about 30 times a second however fast levels arrive', () => {
    vi.useFakeTimers()
    const main = fakeMain()
    const store = createRoomStore(createContractClient(main.api))
    let renders = 0
    store.subscribe((state, previous) => state.levels !== previous.levels && renders++)
    for (let ms = 0; ms < 2000; ms += 5) {
      main.emit('room:levels', { levels: [{ id: '7', levelDbfs: -30, speaking: true }] })
      vi.advanceTimersByTime(5)
    }
    expect(renders).toBeGreaterThan(40)
    expect(renders).toBeLessThanOrEqual(61)
    expect(store.getState().levels['7']).toBe(-30)
    store.dispose()
  })

  it('shows who is speaking from main’s activity events', () => {
    const main = fakeMain()
    const store = createRoomStore(createContractClient(main.api))
    main.emit('voice:activity', { speaker: '7', speaking: true, levelDbfs: -20 })
    expect(store.getState().speaking).toEqual({ '7': true })
    main.emit('voice:activity', { speaker: '7', speaking: false, levelDbfs: -100 })
    expect(store.getState().speaking).toEqual({ '7': false })
  })

  it('tells main once per press and once per release', () => {
    const main = fakeMain()
    const store = createRoomStore(createContractClient(main.api))
    store.getState().setPressed(true)
    store.getState().setPressed(true)
    store.getState().setPressed(false)
    const calls = main.invoke.mock.calls.filter(([channel]) => channel === 'voice:setTalking')
    expect(calls.map(([, payload]) => payload)).toEqual([{ talking: true }, { talking: false }])
  })
})
