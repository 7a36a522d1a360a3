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
  it('hands on the latest level per speaker at most once per interval, and a steady one once', () => {
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
    expect(Object.assign({}, ...flushes)).toEqual({ a: -9.99, b: -20 })
    // b never changed: handed on once, not 30 times a second.
    expect(flushes.filter((levels) => 'b' in levels)).toHaveLength(1)
  })
})

describe('the room store', () => {
  it('reaches React at most about 30 times a second however fast levels arrive, and not for a meter that would not move', () => {
    vi.useFakeTimers()
    const main = fakeMain()
    const store = createRoomStore(createContractClient(main.api))
    let renders = 0
    store.subscribe((state, previous) => state.levels !== previous.levels && renders++)
    // A voice: the level moves by several dB every 5 ms.
    for (let ms = 0; ms < 2000; ms += 5) {
      main.emit('room:levels', { levels: [{ id: '7', levelDbfs: -30 + 10 * Math.sin(ms / 7), speaking: true }] })
      vi.advanceTimersByTime(5)
    }
    expect(renders).toBeGreaterThan(40)
    expect(renders).toBeLessThanOrEqual(61)
    // A steady level, then levels a meter cannot tell apart (under 1% of its width): no render.
    main.emit('room:levels', { levels: [{ id: '7', levelDbfs: -30, speaking: true }] })
    vi.advanceTimersByTime(100)
    const before = renders
    for (let ms = 0; ms < 2000; ms += 5) {
      main.emit('room:levels', { levels: [{ id: '7', levelDbfs: -30 + (ms % 2) * 0.1, speaking: true }] })
      vi.advanceTimersByTime(5)
    }
    expect(renders).toBe(before)
    expect(store.getState().levels['7']).toBe(-30)
    // The voice stops: the meter falls, once.
    main.emit('room:levels', { levels: [{ id: '7', levelDbfs: -100, speaking: false }] })
    vi.advanceTimersByTime(100)
    expect(renders).toBe(before + 1)
    expect(store.getState().levels['7']).toBe(-100)
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
