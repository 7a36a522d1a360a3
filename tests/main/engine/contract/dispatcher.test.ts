import { describe, expect, it, vi } from 'vitest'
import { CallerError, createDispatcher, type Handlers } from '../../../../src/main/engine/contract/dispatcher'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings-schema'

const room = {
  mode: 'lan' as const,
  self: { id: '76561197960265729', name: 'Me' },
  joinCode: null,
  connection: { state: 'connected' as const, problem: null },
  members: []
}
const state = { settings: DEFAULT_SETTINGS, file: '/x/settings.json', loadProblem: null }
const status = {
  globalKeys: { active: false, detail: 'off' },
  backend: 'embedded' as const,
  transmit: 'idle' as const,
  muted: false,
  deafened: false,
  micTest: false,
  sampleRate: 24000,
  packetsSent: 0,
  bytesSent: 0,
  framesGated: 0,
  captureRefused: 0,
  microphone: 'page' as const
}

function setup(update: Handlers['settings:update'] = async () => state) {
  const handlers: Handlers = {
    'app:getInfo': () => ({
      name: 'Parley',
      version: '0',
      host: 'browser',
      platform: 'linux',
      nativeAddon: { loaded: true, detail: '' },
      voiceBackend: { kind: 'embedded', reason: 'test', detail: null }
    }),
    'app:getDiagnostics': () => ({ text: 'Parley 0', logFolder: null }),
    'app:openLogFolder': () => false,
    'settings:get': () => state,
    'settings:update': vi.fn(update),
    'voice:setTalking': () => 'idle',
    'voice:getStatus': () => status,
    'room:get': () => room,
    'room:join': () => room,
    'room:cancelJoin': () => room,
    'room:invite': () => false,
    'voice:setMuted': () => status,
    'voice:setDeafened': () => status,
    'voice:setMicTest': () => status,
    'room:getStats': () => ({
      speakers: [],
      dropped: { malformed: 0, unauthenticated: 0 },
      playback: { outputLatencyMs: 0, refused: 0 },
      cpuPercent: 0
    }),
    'friends:list': () => ({ source: 'lan', friends: [] }),
    'playback:open': () => ({ via: 'websocket', path: '/playback' }),
    'capture:open': () => ({ via: 'websocket', path: '/capture' })
  }
  const unexpected = vi.fn()
  return { dispatch: createDispatcher(handlers, unexpected), handlers, unexpected }
}

describe('createDispatcher', () => {
  it('answers a valid call with the handler’s value', async () => {
    const { dispatch, handlers } = setup()
    expect(await dispatch('settings:update', { sampleRate: 48000 })).toEqual({ ok: true, value: state })
    expect(handlers['settings:update']).toHaveBeenCalledWith({ sampleRate: 48000 })
  })

  it.each([
    ['settings:update', { sampleRate: 'loud' }],
    ['settings:update', 'sampleRate=48000'],
    ['settings:update', null],
    ['settings:update', undefined],
    ['settings:update', { sampleRate: 48000, __proto__: { polluted: true }, extra: 1 }],
    ['settings:get', { unexpected: true }]
  ])('refuses %s with payload %j before any handler runs', async (channel, payload) => {
    const { dispatch, handlers } = setup()
    const result = await dispatch(channel, payload)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
    expect(result.ok === false && result.error.message).toContain(channel)
    expect(handlers['settings:update']).not.toHaveBeenCalled()
  })

  it.each(['settings:delete', '__proto__', 42, null])('refuses the unknown channel %j', async (channel) => {
    const { dispatch } = setup()
    expect(await dispatch(channel, undefined)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
  })

  it('passes a CallerError’s message on, but hides other failures behind a generic one', async () => {
    const caller = setup(async () => {
      throw new CallerError('disk full')
    })
    expect(await caller.dispatch('settings:update', { releaseDelayMs: 5 })).toEqual({
      ok: false,
      error: { code: 'failed', message: 'disk full' }
    })
    const internal = setup(async () => {
      throw new Error('EACCES /home/secret/path')
    })
    const result = await internal.dispatch('settings:update', { releaseDelayMs: 5 })
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'settings:update failed; see the log' } })
    expect(internal.unexpected).toHaveBeenCalledOnce()
  })
})
