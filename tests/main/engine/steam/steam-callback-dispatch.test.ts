import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EAuthSessionResponse } from '../../../../src/main/engine/auth/auth-codes'
import { Authentication, SteamAuthBackend } from '../../../../src/main/engine/auth/authentication'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { loadNativeAddon, type NativeAddon } from '../../../../src/main/engine/native/native-addon'
import { SteamCallbackDispatch } from '../../../../src/main/engine/steam/steam-callback-dispatch'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { buildSteamStub } from '../../../support/steam-stub'
import { makeTempDir, REPO_ROOT } from '../../../support/temp-dir'

// Parley's own dispatch over the real addon and the stub libsteam_api, whose callbacks a test posts.
let dir: string
let cleanup: () => Promise<void>
let native: NativeAddon
let events: string
const dispatches: SteamCallbackDispatch[] = []
beforeAll(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  native = loadNativeAddon(REPO_ROOT)
  native.load(buildSteamStub(dir, 'dispatch'))
  events = path.join(dir, 'events.txt')
  process.env.STUB_EVENTS = events
})
afterEach(() => {
  for (const dispatch of dispatches.splice(0)) dispatch.close()
  for (const key of ['STUB_NOT_INITIALISED', 'STUB_LOBBY_MEMBERS', 'STUB_ENTER_RESPONSE']) delete process.env[key]
})
afterAll(() => cleanup())

const post = (...lines: string[]) => writeFileSync(events, lines.join('\n') + '\n')
const settle = () => new Promise((resolve) => setImmediate(resolve))

function start() {
  const clock = new ManualScheduler()
  const dispatch = new SteamCallbackDispatch(native, silentLogger, clock)
  dispatches.push(dispatch)
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 34) {
      clock.advanceTo(clock.now() + 34)
      await settle()
    }
  }
  return { dispatch, advance }
}

describe('SteamCallbackDispatch', () => {
  it('opens and joins lobbies by call result; a lobby lists its members from Steam', async () => {
    const { dispatch, advance } = start()
    process.env.STUB_LOBBY_MEMBERS = '76561198000000001,76561198000000002'
    const created = dispatch.matchmaking.createLobby(1, 16)
    const joined = dispatch.matchmaking.joinLobby(109775240000000123n)
    await advance(40)
    const lobby = await created
    expect(lobby.getMembers()).toEqual([{ steamId64: 76561198000000001n }, { steamId64: 76561198000000002n }])
    expect((await joined).id).toBe(109775240000000123n)
    process.env.STUB_ENTER_RESPONSE = '2'
    const refused = dispatch.matchmaking.joinLobby(109775240000000124n).catch((error: Error) => error.message)
    await advance(40)
    expect(await refused).toBe('Steam did not let us into the lobby (response 2)')
  })

  it('a lobby call Steam never answers fails after 15 s instead of waiting forever', async () => {
    const { dispatch, advance } = start()
    let outcome: unknown = 'pending'
    dispatch.matchmaking.createLobby(1, 16).then(
      () => (outcome = 'created'),
      (error: Error) => (outcome = error.message)
    )
    process.env.STUB_NOT_INITIALISED = '1' // Steam goes away: no pipe, nothing is dispatched
    await advance(14_000)
    expect(outcome).toBe('pending')
    await advance(1100)
    expect(outcome).toBe('Steam did not answer in 15 s')
  })

  it('hands the callbacks Parley registers for in steamworks.js’s shapes', async () => {
    const { dispatch, advance } = start()
    const seen: unknown[] = []
    for (const id of [1, 2, 5, 6, 7, 8])
      dispatch.callback.register(id, ((value: unknown) => seen.push([id, value])) as never)
    post(
      '101',
      '103 3',
      '506 109775240000000001 76561198000000002 2',
      '1202 76561198000000002',
      '1203 76561198000000002 4',
      '333 109775240000000001 1'
    )
    await advance(40)
    expect(seen).toEqual([
      [1, {}],
      [2, { reason: 3 }],
      [
        5,
        {
          lobby: 109775240000000001n,
          user_changed: 76561198000000002n,
          making_change: 76561198000000002n,
          member_state_change: 1
        }
      ],
      [6, { remote: 76561198000000002n }],
      [7, { remote: 76561198000000002n, error: 4 }],
      [8, { lobby_steam_id: 109775240000000001n, friend_steam_id: 0n }]
    ])
  })

  it('a handler that throws is counted and logged once; the others and the loop go on', async () => {
    const logged: string[] = []
    const clock = new ManualScheduler()
    const dispatch = new SteamCallbackDispatch(native, { ...silentLogger, error: (m: string) => logged.push(m) }, clock)
    dispatches.push(dispatch)
    const seen: number[] = []
    dispatch.callback.register(6, (() => {
      throw new Error('a bug')
    }) as never)
    dispatch.callback.register(7, (() => seen.push(7)) as never)
    for (let round = 0; round < 3; round++) {
      post('1202 76561198000000002', '1203 76561198000000002 4')
      clock.advanceTo(clock.now() + 34)
    }
    expect(seen).toEqual([7, 7, 7])
    expect(dispatch.faults.counts['Steam callback 1202']).toBe(3)
    expect(logged).toHaveLength(1)
  })

  it('Steam’s verdict (143) reaches the session it names, and only a session we hold', async () => {
    const { dispatch, advance } = start()
    const auth = new Authentication(new SteamAuthBackend(native))
    dispatch.onValidateAuthTicketResponse((event) => auth.validateAuthTicketResponse(event))
    const verdicts: Array<[bigint, number]> = []
    auth.onValidateAuthTicketResponse((event) => verdicts.push([event.steamId, event.response]))
    const bob = 76561198000000002n
    // The stub's BeginAuthSession answers the ticket's first byte: 0 = OK.
    expect(auth.beginAuthSession(new Uint8Array([0, 1, 2]), 3, bob)).toBe(0)
    expect(verdicts).toEqual([]) // begun, not yet judged
    post(`143 ${bob} 0 ${bob}`, `143 76561198000000009 0 76561198000000009`)
    await advance(40)
    expect(verdicts).toEqual([[bob, EAuthSessionResponse.OK]])
    post(`143 ${bob} 6 ${bob}`) // later: their ticket was cancelled
    await advance(40)
    expect(verdicts).toEqual([
      [bob, EAuthSessionResponse.OK],
      [bob, EAuthSessionResponse.AuthTicketCanceled]
    ])
  })
})
