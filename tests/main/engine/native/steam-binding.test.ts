import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadNativeAddon, type NativeAddon } from '../../../../src/main/engine/native/native-addon'
import { buildSteamStub } from '../../../support/steam-stub'
import { makeTempDir, REPO_ROOT } from '../../../support/temp-dir'

// The addon against a stub libsteam_api compiled here: same exported symbols, scripted results
// (environment variables), and a log of every call with its arguments as C received them.
let dir: string
let cleanup: () => Promise<void>
let addon: NativeAddon
let log: string
const stub = (variant: string, ...defines: string[]) => buildSteamStub(dir, variant, ...defines)
const calls = () => readFileSync(log, 'utf8').trim().split('\n')

beforeAll(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  addon = loadNativeAddon(REPO_ROOT)
})
afterAll(() => cleanup())
beforeEach(() => {
  log = path.join(dir, `log-${Math.random().toString(36).slice(2)}.txt`)
  writeFileSync(log, '')
  process.env.STUB_LOG = log
  for (const key of Object.keys(process.env)) if (key.startsWith('STUB_') && key !== 'STUB_LOG') delete process.env[key]
})

describe('native Steam binding: loading', () => {
  it('refuses every call before it is attached to a libsteam_api', () => {
    expect(addon.isLoaded()).toBe(false)
    expect(() => addon.getSteamID()).toThrow(/not loaded/)
  })

  it('says which symbol is missing from a libsteam_api that lacks one', () => {
    expect(() => addon.load(stub('no-decompress', 'OMIT_DECOMPRESS'))).toThrow(/SteamAPI_ISteamUser_DecompressVoice/)
    expect(addon.isLoaded()).toBe(false)
  })

  it('cannot attach without a path when no libsteam_api is in the process, and says why', () => {
    expect(() => addon.load()).toThrow(/not loaded in this process/)
    expect(() => addon.load(path.join(REPO_ROOT, 'no-such-libsteam_api.so'))).toThrow(/cannot open/)
  })

  it('finds the interface versions present, preferring the newest', () => {
    expect(addon.load(stub('v017', 'OMIT_FRIENDS_V018'))).toMatchObject({
      user: 'SteamAPI_SteamUser_v023',
      friends: 'SteamAPI_SteamFriends_v017',
      utils: 'SteamAPI_SteamUtils_v010'
    })
    expect(addon.load(stub('full'))).toMatchObject({ friends: 'SteamAPI_SteamFriends_v018' })
    expect(addon.isLoaded()).toBe(true)
  })
})

describe('native Steam binding: calls (stub loaded)', () => {
  beforeAll(() => {
    addon.load(stub('calls'))
  })

  it('passes 64-bit SteamIDs both ways without losing bits', () => {
    expect(addon.getSteamID()).toBe(76561198271731523n + 0x100000000000000n)
    addon.endAuthSession(0xfedcba9876543210n)
    addon.setInGameVoiceSpeaking(18446744073709551615n, true)
    expect(calls()).toEqual([
      'EndAuthSession steamid=18364758544493064720',
      'SetInGameVoiceSpeaking steamid=18446744073709551615 speaking=1'
    ])
  })

  it('identity: logged on, NAT, level', () => {
    expect([
      addon.loggedOn(),
      addon.isBehindNAT(),
      addon.getPlayerSteamLevel(),
      addon.getVoiceOptimalSampleRate()
    ]).toEqual([true, true, 42, 24000])
    process.env.STUB_LOGGED_ON = '0'
    expect(addon.loggedOn()).toBe(false)
  })

  it('getVoice sizes its buffer from GetAvailableVoice, and grows it to what Steam asks for', () => {
    addon.startVoiceRecording()
    process.env.STUB_VOICE_BYTES = '100'
    expect(addon.getAvailableVoice()).toEqual({ result: 0, buffer: 100 })
    const small = addon.getVoice()
    expect(small.result).toBe(0)
    expect(small.written).toBe(100)
    expect(Array.from(small.buffer.subarray(0, 4))).toEqual([0, 1, 2, 3])
    process.env.STUB_VOICE_BYTES = '20000'
    const big = addon.getVoice()
    expect([big.result, big.written]).toEqual([0, 20000])
    expect(big.buffer[19999]).toBe(19999 & 0xff)
    // Sized up front: one GetVoice each, the second with room for 20000.
    expect(calls().filter((c) => c.startsWith('GetVoice'))).toEqual([
      'GetVoice compressed=1 size=8192 uncompressed=0',
      'GetVoice compressed=1 size=32768 uncompressed=0'
    ])
    expect(calls()[0]).toBe('StartVoiceRecording 1')
  })

  it('getVoice grows its buffer when Steam says BufferTooSmall without a size, up to 64 KiB, then reports it', () => {
    process.env.STUB_AVAILABLE_BYTES = '0' // Steam's estimate says nothing
    process.env.STUB_VOICE_NO_SIZE = '1'
    process.env.STUB_VOICE_BYTES = '40000'
    const grown = addon.getVoice()
    expect([grown.result, grown.written]).toEqual([0, 40000])
    expect(grown.buffer[39999]).toBe(39999 & 0xff)
    process.env.STUB_VOICE_BYTES = '100000'
    expect(addon.getVoice()).toMatchObject({ result: 4, written: 0 })
    expect(
      calls()
        .map((c) => c.replace(/ uncompressed=0| compressed=1/g, ''))
        .filter((c) => c.startsWith('GetVoice'))
    ).toEqual([
      'GetVoice size=32768', // the buffer is as the last test left it
      'GetVoice size=65536',
      'GetVoice size=65536'
    ])
  })

  it.each([1, 2, 3, 5, 6, 7, 8, 9])('passes EVoiceResult %i through', (code) => {
    process.env.STUB_VOICE_RESULT = String(code)
    expect(addon.getVoice()).toMatchObject({ result: code, written: 0 })
    expect(addon.getAvailableVoice().result).toBe(code)
    process.env.STUB_DECOMPRESS_RESULT = String(code)
    expect(addon.decompressVoice(new Uint8Array(3), 24000)).toMatchObject({ result: code, size: 0 })
  })

  it('decompressVoice marshals the packet and rate, and retries once with a bigger buffer', () => {
    const out = addon.decompressVoice(Uint8Array.of(1, 2, 3), 48000)
    expect([out.result, out.size]).toEqual([0, 6])
    expect(Array.from(new Int16Array(out.uncompressed.buffer, 0, 3))).toEqual([48, 96, 144])
    process.env.STUB_PCM_PER_BYTE = '2000'
    const big = addon.decompressVoice(Uint8Array.of(7, 8, 9, 10, 11, 12), 11025)
    expect([big.result, big.size]).toEqual([0, 6 * 2000 * 2])
    expect(calls()).toEqual([
      'DecompressVoice src=3 size=20480 rate=48000',
      'DecompressVoice src=6 size=20480 rate=11025',
      'DecompressVoice src=6 size=40960 rate=11025'
    ])
  })

  it('auth tickets: bound to a remote identity when asked, unbound otherwise', () => {
    const bound = addon.getAuthSessionTicket(76561198000000042n)
    expect(bound).toMatchObject({ id: 0x7000001, size: 240 })
    expect(Array.from(bound.buffer.subarray(0, 3))).toEqual([0xa0, 0xa1, 0xa2])
    addon.getAuthSessionTicket()
    expect(calls()).toEqual([
      'GetAuthSessionTicket max=1024 identity type=16 size=8 steamid=76561198000000042',
      'GetAuthSessionTicket max=1024 identity=null'
    ])
  })

  it('a ticket of 1024 bytes, the most the API allows, comes back whole', () => {
    process.env.STUB_TICKET_BYTES = '1024'
    const ticket = addon.getAuthSessionTicket(76561198000000042n)
    expect(ticket.size).toBe(1024)
    expect(ticket.buffer.length).toBe(1024)
    expect(ticket.buffer[1023]).toBe((0xa0 + 1023) & 0xff)
  })

  it.each([0, 1, 2, 3, 4, 5])('beginAuthSession returns EBeginAuthSessionResult %i', (code) => {
    expect(addon.beginAuthSession(Uint8Array.of(code, 9, 9), 3, 76561198000000099n)).toBe(code)
    expect(calls()).toEqual([`BeginAuthSession size=3 first=${code} steamid=76561198000000099`])
  })

  it('cancels tickets, checks licences', () => {
    addon.cancelAuthTicket(0x7000001)
    expect([0, 1, 2].map((app) => addon.userHasLicenseForApp(5n, 480 + app))).toEqual([0, 1, 2])
    expect(calls()[0]).toBe(`CancelAuthTicket id=${0x7000001}`)
  })

  it('friends: persona name (UTF-8), the friends list, avatars as RGBA', () => {
    expect(addon.getPersonaName()).toBe('Stub Person é')
    const friends = addon.getFriends()
    expect(friends.map((f) => f.id)).toEqual([
      76561198000000000n,
      76561198000000000n + 0x100000001n,
      76561198000000000n + 0x200000002n
    ])
    expect(friends[0]).toEqual({
      id: 76561198000000000n,
      name: 'Friend 0',
      personaState: Number(76561198000000000n % 8n)
    })
    expect(calls()).toContain('GetFriendCount flags=4')
    const avatar = addon.getSmallFriendAvatar(76561198000000000n)!
    expect([avatar.width, avatar.height, avatar.rgba.length, avatar.rgba[3]]).toEqual([32, 32, 4096, 255])
    expect(addon.getSmallFriendAvatar(friends[1]!.id)).toBeNull()
  })

  it.each([
    ['decompressVoice', () => addon.decompressVoice('voice' as never, 24000), /voice must be a Uint8Array/],
    ['decompressVoice', () => addon.decompressVoice(new Uint8Array(2), -1), /sampleRate must be a whole number/],
    ['decompressVoice', () => addon.decompressVoice(new Int16Array(2) as never, 24000), /Uint8Array or Buffer/],
    ['beginAuthSession', () => addon.beginAuthSession(new Uint8Array(4), 4, 123 as never), /SteamID must be a bigint/],
    ['beginAuthSession', () => addon.beginAuthSession(new Uint8Array(4), 9, 1n), /larger than the ticket/],
    ['endAuthSession', () => addon.endAuthSession(-1n), /64 unsigned bits/],
    ['endAuthSession', () => addon.endAuthSession(2n ** 64n), /64 unsigned bits/],
    ['cancelAuthTicket', () => addon.cancelAuthTicket(1.5), /whole number/],
    ['setInGameVoiceSpeaking', () => addon.setInGameVoiceSpeaking(1n, 'yes' as never), /speaking must be a boolean/],
    ['getAuthSessionTicket', () => addon.getAuthSessionTicket('76561198000000042' as never), /bigint/],
    ['load', () => addon.load(42 as never), /path must be a string/]
  ])('%s with wrong arguments throws a TypeError that says what it expected', (_name, call, message) => {
    expect(call).toThrow(message)
    expect(call).toThrow(String(message).includes('larger') ? RangeError : TypeError)
    expect(readFileSync(log, 'utf8')).toBe('') // nothing reached Steam
  })

  it('reports Steam not being initialised instead of crashing', () => {
    process.env.STUB_NOT_INITIALISED = '1'
    expect(() => addon.getSteamID()).toThrow(/SteamAPI_SteamUser_v023 returned null/)
    expect(() => addon.decompressVoice(new Uint8Array(1), 24000)).toThrow(/not initialised/)
  })
})

describe('native Steam binding: our own callback dispatch (stub loaded)', () => {
  let events: string
  beforeAll(() => {
    addon.load(stub('dispatch'))
  })
  beforeEach(() => {
    events = path.join(dir, `events-${Math.random().toString(36).slice(2)}.txt`)
    process.env.STUB_EVENTS = events
  })
  const post = (...lines: string[]) => writeFileSync(events, lines.join('\n') + '\n')

  it('decodes every callback Parley uses, 64-bit ids intact, and frees each (ones it does not use too)', () => {
    const big = 0xfedcba9876543210n
    post(
      '101',
      '103 3',
      `143 ${big} 6 ${big - 1n}`,
      '333 109775240000000001 76561198000000002',
      `506 109775240000000001 ${big} 8`,
      `1202 ${big}`,
      `1203 ${big} 4`,
      '304 1 2 3'
    )
    expect(addon.runCallbacks()).toEqual([
      { callback: 101 },
      { callback: 103, reason: 3 },
      { callback: 143, steamId: big, response: 6, ownerSteamId: big - 1n },
      { callback: 333, lobby: 109775240000000001n },
      { callback: 506, lobby: 109775240000000001n, userChanged: big, memberStateChange: 3 }, // kicked (0x8)
      { callback: 1202, remote: big },
      { callback: 1203, remote: big, error: 4 }
    ])
    expect(calls().filter((c) => c === 'FreeLastCallback')).toHaveLength(8)
    expect(addon.runCallbacks()).toEqual([]) // each once
  })

  it('creates and joins lobbies through call results, failed ones saying so', () => {
    const created = addon.createLobby(16)
    const joined = addon.joinLobby(109775240000000077n)
    process.env.STUB_ENTER_RESPONSE = '2' // DoesntExist
    const refused = addon.joinLobby(109775240000000078n)
    const results = addon.runCallbacks()
    expect(results).toEqual([
      { callback: 703, call: created, result: 'lobbyCreated', ok: true, lobby: expect.any(BigInt), eresult: 1 },
      { callback: 703, call: joined, result: 'lobbyEntered', ok: true, lobby: 109775240000000077n, eresult: 1 },
      { callback: 703, call: refused, result: 'lobbyEntered', ok: false, lobby: 109775240000000078n, eresult: 2 }
    ])
    process.env.STUB_LOBBY_MEMBERS = '76561198000000001,18446744073709551615'
    expect(addon.getLobbyMembers(1n)).toEqual([76561198000000001n, 18446744073709551615n])
    addon.leaveLobby(109775240000000077n)
    addon.openInviteDialog(109775240000000077n)
    expect(calls().filter((c) => !c.startsWith('FreeLastCallback'))).toEqual([
      'CreateLobby type=1 max=16',
      'JoinLobby lobby=109775240000000077',
      'JoinLobby lobby=109775240000000078',
      'LeaveLobby lobby=109775240000000077',
      'ActivateGameOverlayInviteDialog lobby=109775240000000077'
    ])
    expect(() => addon.createLobby(0)).toThrow(RangeError)
    expect(() => addon.joinLobby(5 as never)).toThrow(TypeError)
  })
})

describe('native Steam binding: threads', () => {
  it('loads and works in a worker thread beside the main thread, each with its own buffers (no abort)', () => {
    const library = stub('threads')
    // In a child process, so an abort fails this test instead of ending the test run.
    // Main reads; the worker reads, then (told a bigger packet waits) grows its buffer, and
    // ends; main reads again. With process-wide buffers, main's last read used an object of the
    // worker's, gone with it.
    const script = `
      const { Worker, isMainThread, parentPort } = require('node:worker_threads')
      const addon = require(${JSON.stringify(path.join(REPO_ROOT, 'native/build/Release/parley_native.node'))})
      addon.load(${JSON.stringify(library)})
      const read = () => { const v = addon.getVoice(); return [v.result, v.written, v.buffer[v.written - 1]] }
      if (isMainThread) {
        process.env.STUB_VOICE_BYTES = '300'
        const seen = { main: [read()], worker: [] }
        const worker = new Worker(__filename)
        worker.on('message', (fromWorker) => {
          seen.worker.push(fromWorker)
          if (seen.worker.length === 1) {
            process.env.STUB_VOICE_BYTES = '20000'
            worker.postMessage('again')
          }
        })
        worker.once('exit', () => {
          seen.main.push(read())
          global.gc?.()
          console.log(JSON.stringify(seen))
        })
        worker.once('error', (error) => { console.error(error); process.exit(3) })
      } else {
        parentPort.postMessage(read())
        parentPort.once('message', () => { parentPort.postMessage(read()); process.exit(0) })
      }
    `
    const file = path.join(dir, 'threads.cjs')
    writeFileSync(file, script)
    const run = spawnSync(process.execPath, ['--expose-gc', file], { encoding: 'utf8' })
    expect(run.signal, run.stderr).toBeNull()
    expect(run.status, run.stderr).toBe(0)
    const seen = JSON.parse(run.stdout) as { main: number[][]; worker: number[][] }
    const small = [0, 300, 299 & 0xff]
    const big = [0, 20000, 19999 & 0xff]
    expect(seen).toEqual({ main: [small, big], worker: [small, big] })
  })
})
