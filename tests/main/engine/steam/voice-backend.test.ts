import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { loadNativeAddon } from '../../../../src/main/engine/native/native-addon'
import type { SteamworksApi } from '../../../../src/main/engine/steam/steamworks-api'
import { SteamClientVoice } from '../../../../src/main/engine/steam/steam-client-voice'
import { chooseVoiceBackend, resolveAppId, SteamRequiredError } from '../../../../src/main/engine/steam/voice-backend'
import { FakeSteamNetwork } from '../../../support/fake-steam'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { LoopFaults } from '../../../../src/main/engine/logging/loop-faults'
import { VoicePump } from '../../../../src/main/engine/pump/voice-pump'
import { buildSteamStub } from '../../../support/steam-stub'
import { makeTempDir, REPO_ROOT } from '../../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
let stubPath: string
beforeAll(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  stubPath = buildSteamStub(dir)
})
afterAll(() => cleanup())

const noSteam = () => {
  throw new Error("Failed to load module '/root/.steam/sdk64/steamclient.so'")
}
/** The stub libsteam_api's user, unless STUB_STEAM_ID says otherwise. */
const STUB_USER = 76561198271731523n + 0x100000000000000n
const steamRunning = (): SteamworksApi => new FakeSteamNetwork().client(STUB_USER, 'Alice')
const native = () => loadNativeAddon(REPO_ROOT)

/** The decision for `choice`, with Steam as `initSteamworks` finds it, and the real binding. */
const choose = (
  choice: 'auto' | 'steam' | 'lan',
  initSteamworks: () => SteamworksApi,
  options: { libraryOverride?: string } = {}
) => chooseVoiceBackend({ choice, appId: 480, initSteamworks, native, logger: silentLogger, ...options })

describe('choosing the voice backend', () => {
  it('is LAN when told so, without touching Steam', () => {
    const decision = choose('lan', noSteam)
    expect(decision).toEqual({ kind: 'embedded', reason: 'LAN mode (chosen in Settings)', detail: null })
  })

  it('falls back to LAN, saying why, when no Steam client runs', () => {
    const decision = choose('auto', noSteam)
    expect(decision.kind).toBe('embedded')
    // Words for the status bar; what failed, for Diagnostics.
    expect(decision.reason).toBe('LAN mode: Steam is not running')
    expect(decision.detail).toMatch(/^steamworks.js could not start: Failed to load module/)
  })

  it('refuses to start when Steam is required and absent', () => {
    expect(() => choose('steam', noSteam)).toThrow(SteamRequiredError)
  })

  it('falls back when Steam runs but the binding cannot attach', () => {
    const decision = choose('auto', steamRunning, { libraryOverride: path.join(dir, 'missing.so') })
    expect(decision.reason).toBe('LAN mode: Parley could not connect to Steam')
    expect(decision.detail).toMatch(/^the native binding could not attach: cannot open/)
  })

  it('picks Steam when the client runs and the binding attaches; its voice goes through the binding', () => {
    const decision = choose('auto', steamRunning, { libraryOverride: stubPath })
    expect(decision).toMatchObject({
      kind: 'steam',
      appId: 480,
      reason: 'Steam: Alice is signed in',
      detail: 'app 480'
    })
    if (decision.kind !== 'steam') return
    process.env.STUB_VOICE_BYTES = '64'
    const voice = new SteamClientVoice(decision.native)
    expect(voice.getVoiceOptimalSampleRate()).toBe(24000)
    expect(voice.getVoice()).toMatchObject({ result: 0, written: 64 })
    expect(voice.decompressVoice(Uint8Array.of(1, 2, 3, 4), 48000, 2)).toMatchObject({ result: 0, size: 4 })
    delete process.env.STUB_VOICE_BYTES
  })
})

describe('the pump over the binding, when Steam throws', () => {
  it('a call that throws (Steam gone) is counted and logged once; the pump goes on and hears Steam again', () => {
    const addon = native()
    addon.load(stubPath)
    const clock = new ManualScheduler()
    const logged: string[] = []
    const faults = new LoopFaults({ ...silentLogger, error: (message: string) => logged.push(message) })
    let sent = 0
    const pump = new VoicePump({
      voice: new SteamClientVoice(addon),
      scheduler: clock,
      faults,
      outgoing: { sendVoice: () => ++sent > 0 }
    })
    process.env.STUB_VOICE_BYTES = '64'
    try {
      pump.setTalking(true)
      clock.advanceTo(100)
      const before = sent
      expect(before).toBeGreaterThan(0)
      process.env.STUB_NOT_INITIALISED = '1' // the addon now throws on every call
      clock.advanceTo(300)
      expect(sent).toBe(before)
      expect(faults.counts['voice pump']).toBeGreaterThan(30)
      expect(logged).toEqual([
        expect.stringContaining('SteamAPI_SteamUser_v023 returned null: Steam is not initialised')
      ])
      delete process.env.STUB_NOT_INITIALISED
      clock.advanceTo(400)
      expect(sent).toBeGreaterThan(before)
    } finally {
      pump.stop()
      delete process.env.STUB_NOT_INITIALISED
      delete process.env.STUB_VOICE_BYTES
    }
  })
})

describe('one identity', () => {
  it('refuses Steam mode, saying why, when steamworks.js and the binding see different users; LAN mode is used', () => {
    process.env.STUB_STEAM_ID = '76561198000000999'
    try {
      const options = {
        appId: 480,
        initSteamworks: steamRunning,
        native,
        libraryOverride: stubPath,
        logger: silentLogger
      }
      const decision = chooseVoiceBackend({ ...options, choice: 'auto' })
      expect(decision.kind).toBe('embedded')
      expect(decision.reason).toBe(
        'LAN mode: Steam answers as two different users. Restart Steam and Parley; if it persists, reinstall Parley'
      )
      expect(decision.detail).toBe(
        `steamworks.js is ${STUB_USER}, the native binding 76561198000000999: two copies of Steam's library are loaded`
      )
      expect(() => chooseVoiceBackend({ ...options, choice: 'steam' })).toThrow(/two different users/)
    } finally {
      delete process.env.STUB_STEAM_ID
    }
  })
})

describe('the Steam app id', () => {
  it('comes from settings, then steam_appid.txt, then 480 for development', async () => {
    expect(resolveAppId(1234567, dir)).toEqual({ appId: 1234567, source: 'settings' })
    expect(resolveAppId(null, dir)).toEqual({ appId: 480, source: 'development default' })
    await writeFile(path.join(dir, 'steam_appid.txt'), '2345678\n')
    expect(resolveAppId(null, dir)).toEqual({ appId: 2345678, source: 'steam_appid.txt' })
  })
})
