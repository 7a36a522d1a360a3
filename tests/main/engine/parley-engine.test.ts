import { readFile } from 'node:fs/promises'

import { testEngine } from '../../support/test-engine'

import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { type ParleyEngine } from '../../../src/main/engine/parley-engine'
import type { RoomState, VoiceStatus } from '../../../src/shared/contract'

import { FakeSteamNetwork } from '../../support/fake-steam'

import { buildSteamStub } from '../../support/steam-stub'

import { noise } from '../../support/audio'

import { captureFrame } from '../../support/capture-frames'

import { makeTempDir } from '../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
let engine: ParleyEngine
beforeEach(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  engine = await testEngine(dir)
})
afterEach(async () => {
  await engine.close()
  await cleanup()
})

const status = async () => ((await engine.dispatch('voice:getStatus', undefined)) as { value: VoiceStatus }).value
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the engine’s voice backend', () => {
  it('runs in LAN mode here (no Steam client) and says why', async () => {
    const info = (await engine.dispatch('app:getInfo', undefined)) as {
      value: { voiceBackend: { kind: string; reason: string } }
    }
    expect(info.value.voiceBackend.kind).toBe('embedded')
    expect(info.value.voiceBackend.reason).toBe('LAN mode: Steam is not running')
    expect((await status()).backend).toBe('embedded')
  })
})

describe('self-mute and deafen', () => {
  const push = (seconds = 1) => {
    const audio = noise(48000 * seconds, -20)
    for (let i = 0; i < 50 * seconds; i++)
      engine.pushCapture(captureFrame(48000, audio.subarray(i * 960, (i + 1) * 960)))
  }

  it('muted, push-to-talk held sends nothing; unmuted while still held, the voice goes out at once', async () => {
    expect(await engine.dispatch('voice:setMuted', { muted: true })).toMatchObject({
      ok: true,
      value: { muted: true, deafened: false, transmit: 'idle' }
    })
    await engine.dispatch('voice:setTalking', { talking: true })
    push()
    await sleep(100)
    expect(await status()).toMatchObject({ transmit: 'idle', packetsSent: 0 })
    await engine.dispatch('voice:setMuted', { muted: false })
    expect((await status()).transmit).toBe('talking')
    push()
    await expect.poll(async () => (await status()).packetsSent, { timeout: 3000 }).toBeGreaterThan(0)
  })

  it('deafened is muted too; undeafened, the held key talks again', async () => {
    expect(await engine.dispatch('voice:setDeafened', { deafened: true })).toMatchObject({
      ok: true,
      value: { muted: true, deafened: true }
    })
    await engine.dispatch('voice:setTalking', { talking: true })
    push()
    await sleep(100)
    expect((await status()).packetsSent).toBe(0)
    expect(await engine.dispatch('voice:setDeafened', { deafened: false })).toMatchObject({
      value: { muted: false, deafened: false, transmit: 'talking' }
    })
  })
})

describe('inviting', () => {
  it('in LAN mode there is no dialog: the join code is the invite', async () => {
    expect(await engine.dispatch('room:invite', undefined)).toEqual({ ok: true, value: false })
  })
})

describe('the engine’s display name', () => {
  it('applies at once: the room shows the new name without a restart', async () => {
    const rooms: RoomState[] = []
    engine.onEvent((event, payload) => event === 'room:changed' && rooms.push(payload as RoomState))
    await engine.dispatch('settings:update', { displayName: 'Ada L.' })
    const room = (await engine.dispatch('room:get', undefined)) as { value: RoomState }
    expect(room.value.self.name).toBe('Ada L.')
    expect(rooms.at(-1)?.self.name).toBe('Ada L.')
  })
})

describe('the engine in Steam mode (steamworks.js stood in for, the stub libsteam_api under the addon)', () => {
  it('opens its lobby through Parley’s own callback dispatch and shows it as the room, connected', async () => {
    const stubDir = await makeTempDir()
    const stubUser = 76561198271731523n + 0x100000000000000n // the stub's GetSteamID
    process.env.PARLEY_STEAM_API_LIB = buildSteamStub(stubDir.dir, 'engine')
    process.env.STUB_LOBBY_MEMBERS = stubUser.toString()
    let steamEngine: ParleyEngine | null = null
    try {
      steamEngine = await testEngine(stubDir.dir, {
        backend: 'steam',
        initSteamworks: () => new FakeSteamNetwork().client(stubUser, 'Stub Person')
      })
      const room = (await steamEngine.dispatch('room:get', undefined)) as { value: RoomState }
      expect(room.value.mode).toBe('steam')
      expect(room.value.joinCode).toMatch(/^1097752400000000\d\d$/) // the stub's lobby ids
      expect(room.value.connection).toEqual({ state: 'connected', problem: null })
      expect(room.value.members).toEqual([])
      // Invite: Steam's overlay dialog for that lobby.
      process.env.STUB_LOG = path.join(stubDir.dir, 'calls.log')
      expect(await steamEngine.dispatch('room:invite', undefined)).toEqual({ ok: true, value: true })
      expect(await readFile(process.env.STUB_LOG, 'utf8')).toContain(
        `ActivateGameOverlayInviteDialog lobby=${room.value.joinCode}`
      )
    } finally {
      await steamEngine?.close()
      delete process.env.PARLEY_STEAM_API_LIB
      delete process.env.STUB_LOBBY_MEMBERS
      delete process.env.STUB_LOG
      await stubDir.cleanup()
    }
  })
})

describe('the engine’s voice through the contract', () => {
  it('turns microphone frames pushed while talking into Steam voice packets, and none while not', async () => {
    const second = noise(48000, -20)
    for (let i = 0; i < 50; i++) {
      engine.pushCapture(captureFrame(48000, second.subarray(i * 960, (i + 1) * 960)))
    }
    await sleep(60)
    expect((await status()).packetsSent).toBe(0)

    expect(await engine.dispatch('voice:setTalking', { talking: true })).toEqual({ ok: true, value: 'talking' })
    for (let i = 0; i < 50; i++) {
      engine.pushCapture(captureFrame(48000, second.subarray(i * 960, (i + 1) * 960)))
    }
    // A second of audio pushed at once leaves as a few full packets (about a dozen frames each).
    await expect.poll(async () => (await status()).bytesSent, { timeout: 3000 }).toBeGreaterThan(2500)
    expect((await status()).packetsSent).toBeGreaterThanOrEqual(3)
    // Still talking through the release delay (200 ms by default), then the tail drains.
    expect(await engine.dispatch('voice:setTalking', { talking: false })).toEqual({ ok: true, value: 'talking' })
    await expect.poll(async () => (await status()).transmit, { timeout: 3000 }).toBe('idle')
  })

  it('applies a sample-rate change from settings at once', async () => {
    expect((await status()).sampleRate).toBe(24000) // optimal = Steam's 24 kHz
    await engine.dispatch('settings:update', { sampleRate: 44100 })
    expect((await status()).sampleRate).toBe(44100)
  })

  it('drops malformed capture frames, counts them, and carries on', async () => {
    const good = captureFrame(48000, new Int16Array(960))
    const absurdRate = captureFrame(7999, new Int16Array(960))
    const tooLong = captureFrame(48000, new Int16Array(9601))
    const oddBytes = new Uint8Array(good).subarray(0, 17)
    const wrongKind = new Uint8Array(good.slice(0))
    wrongKind[0] = 7
    for (const bad of [absurdRate, tooLong, oddBytes, wrongKind, new Uint8Array(8)])
      expect(engine.pushCapture(bad)).toBe(false)
    expect(engine.pushCapture(good)).toBe(true)
    expect((await status()).captureRefused).toBe(5)
  })
})

describe('the engine with the global key hook on', () => {
  it('starts where the hook cannot run (no display, or not built), and its status says push-to-talk works in the window', async () => {
    const withHook = await testEngine(dir, { dataDir: path.join(dir, 'with-hook'), globalKeys: true })
    try {
      const { value } = (await withHook.dispatch('voice:getStatus', undefined)) as { value: VoiceStatus }
      expect(value.globalKeys.detail).toEqual(expect.any(String))
      expect(value.transmit).toBe('idle')
    } finally {
      await withHook.close()
    }
  })
})
