import { afterEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { SteamLobbyTransport } from '../../../../src/main/engine/steam/steam-lobby-transport'
import { VoiceRoom } from '../../../../src/main/engine/call/voice-room'
import { DatagramWriter, MAX_DATAGRAM_BYTES, WIRE_VOICE } from '../../../../src/main/engine/transport/wire-protocol'
import { WavMicrophone } from '../../../../src/main/engine/capture/wav-microphone'
import { HeadlessOutput } from '../../../../src/main/engine/playout/headless-output'
import { realScheduler } from '../../../../src/main/engine/time/scheduler'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { splitSteamId } from '../../../../src/shared/steam-id'
import { noise } from '../../../support/audio'
import { Authentication } from '../../../../src/main/engine/auth/authentication'
import { EAuthSessionResponse } from '../../../../src/main/engine/auth/auth-codes'
import { FakeSteamAuthBackend, FakeSteamNetwork } from '../../../support/fake-steam'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { bigVoicePacket } from '../../../support/big-voice-packet'
import { EVENT_FRAME, parseVoicePacket, VoicePacketView } from '../../../../src/main/engine/steam-voice/voice-packet'

const A = 76561198000000001n
const B = 76561198000000002n
const C = 76561198000000003n
const MALLORY = 76561198000000666n
const transports: SteamLobbyTransport[] = []
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()))
})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// The fake Steam delivers on real timers: a loaded machine can take longer than any fixed sleep,
// so what should happen is waited for (up to 3 s), never assumed after a few ms.
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 })

async function lobbyOfTwo() {
  const steam = new FakeSteamNetwork()
  const a = new SteamLobbyTransport(steam.client(A, 'Alice'), silentLogger)
  const b = new SteamLobbyTransport(steam.client(B, 'Bob'), silentLogger)
  transports.push(a, b)
  const lobby = await a.create()
  steam.invite(lobby, B) // Bob accepts the overlay invite
  await eventually(() => expect([a.members.has(B), b.members.has(A)]).toEqual([true, true]))
  return { steam, a, b, lobby }
}

/** `transport` sends one (tiny) Steam voice packet whose own SteamID says it is `id`'s. */
function speakAs(transport: SteamLobbyTransport, id: bigint): boolean {
  const packet = new Uint8Array(30)
  new DataView(packet.buffer).setBigUint64(0, id, true)
  return transport.sendVoice(packet, packet.length, performance.now())
}

/** A voice datagram with our header, as `sender` would send it, claiming `claimed`. */
function voiceDatagram(claimed: bigint, packetOwner = claimed): Buffer {
  const { low, high } = splitSteamId(claimed)
  const payload = new Uint8Array(24)
  new DataView(payload.buffer).setBigUint64(0, packetOwner, true)
  const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
  return out.subarray(0, new DatagramWriter(low, high).write(out, WIRE_VOICE, 0, Date.now(), payload, payload.length))
}

/** A lobby member on `steam` that checks tickets with `backend` (Steam's auth, faked). */
function ticketed(steam: FakeSteamNetwork, id: bigint, name: string, backend: FakeSteamAuthBackend) {
  return new SteamLobbyTransport(steam.client(id, name), silentLogger, undefined, new Authentication(backend))
}

describe('SteamLobbyTransport', () => {
  it('makes a friends-only lobby; an invited friend who joins is a member on both sides, with names', async () => {
    const { a, b, lobby } = await lobbyOfTwo()
    expect(b.lobbyId).toBe(lobby)
    expect([...a.members.keys()]).toEqual([B])
    expect([...b.members.keys()]).toEqual([A])
    expect(a.members.get(B)!.name).toBe('Bob')
    expect(b.members.get(A)!.name).toBe('Alice')
  })

  it('carries voice between members over P2P', async () => {
    const { a, b } = await lobbyOfTwo()
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    speakAs(a, A)
    await eventually(() => expect(heard).toEqual([A]))
  })

  it('refuses P2P sessions from anyone not in the lobby, and what they send', async () => {
    const { steam, b } = await lobbyOfTwo()
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    const mallory = steam.client(MALLORY, 'Mallory')
    mallory.networking.sendP2PPacket(B, 1, voiceDatagram(MALLORY))
    await eventually(() => expect(b.stats.dropped.unauthenticated).toBe(1))
    expect(heard).toEqual([])
  })

  it('drops datagrams whose header or voice packet names someone other than the P2P sender', async () => {
    const { steam, b } = await lobbyOfTwo()
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    const mallory = steam.client(MALLORY, 'Mallory')
    // Mallory gets into the lobby, then pretends to be Alice.
    await mallory.matchmaking.joinLobby(b.lobbyId!)
    await eventually(() => expect(b.members.has(MALLORY)).toBe(true))
    mallory.networking.sendP2PPacket(B, 1, voiceDatagram(A))
    mallory.networking.sendP2PPacket(B, 1, voiceDatagram(MALLORY, A))
    await eventually(() => expect(b.stats.dropped.unauthenticated).toBe(2))
    expect(heard).toEqual([])
  })

  it('a voice packet too big for one datagram reaches every member, split into valid packets; one that cannot be split is counted, not sent', async () => {
    const steam = new FakeSteamNetwork()
    const [a, b, c] = [A, B, C].map((id) => new SteamLobbyTransport(steam.client(id, `m${id % 10n}`), silentLogger))
    transports.push(a!, b!, c!)
    const lobby = await a!.create()
    steam.invite(lobby, B)
    steam.invite(lobby, C)
    await eventually(() => expect([a!, b!, c!].map((t) => t.members.size)).toEqual([2, 2, 2]))
    const heard = [b!, c!].map(() => [] as Uint8Array[])
    ;[b!, c!].forEach((t, i) =>
      t.setHandlers({
        voice: (_from, _seq, bytes, offset, length) => heard[i]!.push(bytes.slice(offset, offset + length))
      })
    )
    const big = await bigVoicePacket(A)
    expect(a!.sendVoice(big, big.length, performance.now())).toBe(true)
    const view = new VoicePacketView()
    const framesIn = (packet: Uint8Array) => {
      expect(parseVoicePacket(packet, packet.length, view)).toBe('ok')
      return [...view.eventKind.subarray(0, view.eventCount)].filter((kind) => kind === EVENT_FRAME).length
    }
    const sentFrames = framesIn(big)
    await eventually(() => {
      for (const pieces of heard) {
        expect(pieces.length).toBeGreaterThan(3)
        expect(pieces.reduce((frames, piece) => frames + framesIn(piece), 0)).toBe(sentFrames)
      }
    })
    const junk = new Uint8Array(3000).fill(7)
    expect(a!.sendVoice(junk, junk.length, performance.now())).toBe(false)
    expect(a!.stats.unsent.tooBig).toBe(1)
  })

  it('a throw from Steam in the P2P poll is counted and logged once; the poll goes on and voice still arrives', async () => {
    const steam = new FakeSteamNetwork()
    const bob = steam.client(B, 'Bob')
    const available = bob.networking.isP2PPacketAvailable
    let throws = 3
    bob.networking.isP2PPacketAvailable = () => {
      if (throws-- > 0) throw new Error('Steam is not running')
      return available()
    }
    const logged: string[] = []
    const logger = { ...silentLogger, error: (message: string) => logged.push(message) }
    const a = new SteamLobbyTransport(steam.client(A, 'Alice'), silentLogger)
    const b = new SteamLobbyTransport(bob, logger)
    transports.push(a, b)
    steam.invite(await a.create(), B)
    await eventually(() => expect([a.members.has(B), b.members.has(A)]).toEqual([true, true]))
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    speakAs(a, A)
    await eventually(() => expect(heard).toEqual([A]))
    expect(b.faults.counts['P2P receive']).toBe(3)
    expect(logged).toEqual([
      'P2P receive failed (it goes on; the same again is only counted): Error: Steam is not running'
    ])
  })

  it('forgets a member who leaves the lobby', async () => {
    const { a, b } = await lobbyOfTwo()
    const left: bigint[] = []
    a.setHandlers({ memberLeft: (member) => left.push(member.id) })
    await b.close()
    await eventually(() => expect(left).toEqual([B]))
    expect(a.members.size).toBe(0)
  })

  it('a voice room runs over it the same as over UDP: Alice speaks, Bob decodes', async () => {
    const { a, b } = await lobbyOfTwo()
    const alice = await EmbeddedSteamVoice.create({ steamId: A })
    const mic = new WavMicrophone(
      { sampleRate: 48000, samples: noise(48000, -20) },
      realScheduler,
      (s, o, c, r, t) => alice.pushMicrophone(s, o, c, r, t),
      true
    )
    const output = new HeadlessOutput(realScheduler, 24000, false)
    output.start()
    const speaking: boolean[] = []
    const rooms = [
      new VoiceRoom({
        transport: a,
        voice: alice,
        sampleRate: 'optimal',
        logger: silentLogger,
        localKey: 'local',
        playout: () => output.open(),
        // SetInGameVoiceSpeaking, in the real app
        onActivity: (speaker, activity) => speaker === 'local' && speaking.push(activity.speaking)
      }),
      new VoiceRoom({
        transport: b,
        voice: await EmbeddedSteamVoice.create({ steamId: B }),
        sampleRate: 'optimal',
        logger: silentLogger,
        localKey: 'local',
        playout: () => output.open()
      })
    ]
    mic.start()
    rooms[0]!.setTalking(true)
    await sleep(600)
    rooms[0]!.setTalking(false)
    await sleep(1200)
    const heard = rooms[1]!.stats()
    mic.stop()
    output.stop()
    rooms.forEach((room) => room.stop())
    expect(heard.received).toBeGreaterThan(15)
    expect(speaking).toEqual([true, false])
    expect(heard.latencyMs.p50).not.toBeNull()
  })
})

describe('SteamLobbyTransport with auth session tickets', () => {
  it('members verify each other before any voice is delivered', async () => {
    const steam = new FakeSteamNetwork()
    const a = ticketed(steam, A, 'Alice', new FakeSteamAuthBackend(A))
    const b = ticketed(steam, B, 'Bob', new FakeSteamAuthBackend(B))
    transports.push(a, b)
    steam.invite(await a.create(), B)
    await eventually(() => expect([a.members.get(B)?.auth, b.members.get(A)?.auth]).toEqual(['verified', 'verified']))
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    speakAs(a, A)
    await eventually(() => expect(heard).toEqual([A]))
  })

  it('tickets of 1024 bytes (the most Steam’s API gives) travel in parts and verify, in a room of three', async () => {
    const steam = new FakeSteamNetwork()
    const all = [A, B, C].map(
      (id) =>
        new SteamLobbyTransport(
          steam.client(id, `m${id % 10n}`),
          silentLogger,
          undefined,
          new Authentication(new FakeSteamAuthBackend(id, id, 1024))
        )
    )
    transports.push(...all)
    const lobby = await all[0]!.create()
    steam.invite(lobby, B)
    steam.invite(lobby, C)
    await eventually(() => {
      for (const t of all) expect([...t.members.values()].map((m) => m.auth)).toEqual(['verified', 'verified'])
    })
    for (const t of all) expect(t.stats.unsent).toEqual({ tooBig: 0, refused: 0 })
  })

  it('a lobby member whose ticket does not check out is rejected, and never heard', async () => {
    const steam = new FakeSteamNetwork()
    const b = ticketed(steam, B, 'Bob', new FakeSteamAuthBackend(B))
    // Mallory's tickets claim Alice issued them.
    const mallory = ticketed(steam, MALLORY, 'Mallory', new FakeSteamAuthBackend(MALLORY, A))
    transports.push(b, mallory)
    steam.invite(await b.create(), MALLORY)
    await eventually(() =>
      expect(b.members.get(MALLORY)?.auth).toEqual({ rejected: 'could not prove who they are (invalid ticket)' })
    )
    const heard: bigint[] = []
    b.setHandlers({ voice: (from) => heard.push(from.id) })
    const dropped = b.stats.dropped.unauthenticated
    speakAs(mallory, MALLORY)
    await eventually(() => expect(b.stats.dropped.unauthenticated).toBeGreaterThan(dropped))
    expect(heard).toEqual([])
  })
})

describe('SteamLobbyTransport: members and the lobby come back by themselves', () => {
  const settle = () => new Promise((resolve) => setImmediate(resolve))

  async function lobbyOfThree() {
    const clock = new ManualScheduler()
    const steam = new FakeSteamNetwork()
    const clients = ([A, B, C] as const).map((id, i) => steam.client(id, ['Alice', 'Bob', 'Cy'][i]!))
    const [a, b, c] = clients.map((client) => {
      const auth = new Authentication(new FakeSteamAuthBackend(client.id))
      return new SteamLobbyTransport(client, silentLogger, clock, auth)
    }) as [SteamLobbyTransport, SteamLobbyTransport, SteamLobbyTransport]
    transports.push(a, b, c)
    const lobby = await a.create()
    steam.invite(lobby, B)
    steam.invite(lobby, C)
    await settle()
    const advance = async (ms: number) => {
      for (let t = 0; t < ms; t += 100) {
        clock.advanceTo(clock.now() + 100)
        await settle()
      }
    }
    await advance(1000)
    return { clock, steam, clients, a, b, c, lobby, advance, all: [a, b, c] }
  }

  /** What each of `listeners` hears of `talker` now. */
  function voiceHeard(talker: SteamLobbyTransport, id: bigint, listeners: SteamLobbyTransport[]) {
    const heard = listeners.map(() => 0)
    listeners.forEach((listener, i) => listener.setHandlers({ voice: () => heard[i]!++ }))
    speakAs(talker, id)
    return heard
  }

  const connections = (t: SteamLobbyTransport) => [...t.members.values()].map((m) => m.connection)

  it('pings over P2P: every member knows its round trip to every other', async () => {
    const { all } = await lobbyOfThree()
    for (const t of all) {
      expect(t.members.size).toBe(2)
      for (const member of t.members.values()) {
        expect(member.auth).toBe('verified')
        expect(member.rttMs).not.toBeNull()
      }
    }
  })

  it('a member cut off for 10 s is reconnecting on every side, then connected and heard again within 2 s', async () => {
    const { steam, a, b, c, advance } = await lobbyOfThree()
    steam.unreachable.add(C)
    await advance(3000)
    expect(a.members.get(C)!.connection).toBe('reconnecting')
    expect(b.members.get(C)!.connection).toBe('reconnecting')
    expect(connections(c)).toEqual(['reconnecting', 'reconnecting'])
    expect(a.members.get(B)!.connection).toBe('connected')
    await advance(7000)
    steam.unreachable.delete(C)
    await advance(2000)
    for (const t of [a, b, c]) {
      expect(t.members.size).toBe(2)
      expect(connections(t)).toEqual(['connected', 'connected'])
    }
    await settle()
    const heard = voiceHeard(c, C, [a, b])
    await advance(100)
    expect(heard).toEqual([1, 1])
  })

  it('a failed P2P session shows the member as reconnecting at once; their next datagram brings them back', async () => {
    const { clients, a, advance } = await lobbyOfThree()
    const changes: string[] = []
    a.setHandlers({ memberChanged: (m) => changes.push(`${m.name}:${m.connection}`) })
    clients[0]!.fire(7, { remote: B, error: 4 }) // k_EP2PSessionErrorTimeout
    expect(a.members.get(B)!.connection).toBe('reconnecting')
    await advance(1000)
    expect(a.members.get(B)!.connection).toBe('connected')
    expect(changes).toEqual(['Bob:reconnecting', 'Bob:connected'])
  })

  it('after 5 minutes of silence a member still in the lobby is lost; if they speak again they are back', async () => {
    const { steam, a, b, advance } = await lobbyOfThree()
    steam.unreachable.add(B)
    await advance(5 * 60_000 + 1000)
    expect(a.members.get(B)!.connection).toBe('lost')
    expect(a.members.size).toBe(2)
    steam.unreachable.delete(B)
    await advance(11_000) // lost members are still called, every 10 s
    expect(a.members.get(B)!.connection).toBe('connected')
    expect(b.members.get(A)!.connection).toBe('connected')
  })

  it('losing Steam’s servers: the room says so, gets back into the lobby, and the same members are heard', async () => {
    const { steam, a, b, c, advance } = await lobbyOfThree()
    const members = [...b.members.values()]
    steam.refuseJoins = true
    steam.disconnectFromServers(B)
    expect(b.connection).toEqual({ state: 'reconnecting', problem: 'Lost the Steam lobby. Getting back in…' })
    expect(connections(b)).toEqual(['reconnecting', 'reconnecting'])
    await advance(4000) // retries fail meanwhile
    expect(b.connection.state).toBe('reconnecting')
    steam.refuseJoins = false
    steam.reconnectToServers(B)
    await advance(2000)
    expect(b.connection).toEqual({ state: 'connected', problem: null })
    expect([...b.members.values()]).toEqual(members) // the same objects: no duplicate
    await advance(1000)
    for (const t of [a, b, c]) expect(connections(t)).toEqual(['connected', 'connected'])
    const heard = voiceHeard(b, B, [a, c])
    await advance(100)
    expect(heard).toEqual([1, 1])
  })

  it('a lobby it cannot get back into for 5 minutes is lost, in words; a kick is final at once', async () => {
    const { steam, b, c, lobby, advance } = await lobbyOfThree()
    steam.refuseJoins = true
    steam.disconnectFromServers(B)
    await advance(5 * 60_000 + 1000)
    expect(b.connection.state).toBe('lost')
    expect(b.connection.problem).toMatch(/could not get back in\. Make a new room/)
    expect(b.members.size).toBe(0)
    steam.kick(lobby, C)
    expect(c.connection).toEqual({
      state: 'lost',
      problem: 'You were removed from the Steam lobby. Make a new room, or ask a friend for an invite.'
    })
    expect(c.members.size).toBe(0)
  })
})

describe('SteamLobbyTransport: Steam’s own verdict (ValidateAuthTicketResponse) decides', () => {
  /** A lobby of three whose auth verdicts come from Steam's callback, as the fake Steam answers them. */
  async function lobbyWithVerdicts(steamSays: (issuer: bigint, id: bigint) => number = () => 0) {
    const steam = new FakeSteamNetwork()
    const backends = [A, B, C].map((id) => {
      const backend = new FakeSteamAuthBackend(id, id, 240, 'from-callback')
      backend.steamSays = (issuer) => steamSays(issuer, id) as never
      return backend
    })
    const all = backends.map((backend, i) => {
      const auth = new Authentication(backend)
      backend.deliver = (event) => auth.validateAuthTicketResponse(event)
      return new SteamLobbyTransport(
        steam.client(backend.localId, ['Alice', 'Bob', 'Cy'][i]!),
        silentLogger,
        undefined,
        auth
      )
    })
    transports.push(...all)
    const lobby = await all[0]!.create()
    steam.invite(lobby, B)
    steam.invite(lobby, C)
    return { all, backends }
  }

  it('nobody is verified before Steam says OK; then everyone, and voice flows', async () => {
    const { all } = await lobbyWithVerdicts()
    await new Promise((resolve) => setImmediate(resolve))
    for (const t of all) expect([...t.members.values()].map((m) => m.auth)).not.toContain('verified')
    await eventually(() => {
      for (const t of all) expect([...t.members.values()].map((m) => m.auth)).toEqual(['verified', 'verified'])
    })
    const heard: bigint[] = []
    all[1]!.setHandlers({ voice: (from) => heard.push(from.id) })
    speakAs(all[0]!, A)
    await eventually(() => expect(heard).toEqual([A]))
  })

  it('a member Steam refuses (no licence) is rejected everywhere, in words, and never heard', async () => {
    const { all } = await lobbyWithVerdicts((issuer) => (issuer === C ? EAuthSessionResponse.NoLicenseOrExpired : 0))
    await eventually(() => {
      for (const t of all.slice(0, 2)) {
        expect(t.members.get(C)?.auth).toEqual({ rejected: 'they do not own this app on Steam' })
      }
    })
    const heard: bigint[] = []
    all[0]!.setHandlers({ voice: (from) => heard.push(from.id) })
    const dropped = all[0]!.stats.dropped.unauthenticated
    speakAs(all[2]!, C)
    await eventually(() => expect(all[0]!.stats.dropped.unauthenticated).toBeGreaterThan(dropped))
    expect(heard).toEqual([])
  })

  it('a ticket cancelled later (or the other side ending its session) silences the member within one callback', async () => {
    const { all, backends } = await lobbyWithVerdicts()
    await eventually(() => {
      for (const t of all) expect([...t.members.values()].map((m) => m.auth)).toEqual(['verified', 'verified'])
    })
    const [alice] = all
    const heard: bigint[] = []
    alice!.setHandlers({ voice: (from) => heard.push(from.id) })
    speakAs(all[1]!, B)
    await eventually(() => expect(heard).toEqual([B]))
    backends[0]!.post(B, EAuthSessionResponse.AuthTicketCanceled) // Steam tells Alice: Bob's ticket is gone
    expect(alice!.members.get(B)!.auth).toEqual({ rejected: 'they left, or their Steam ticket was cancelled' })
    const dropped = alice!.stats.dropped.unauthenticated
    speakAs(all[1]!, B)
    await eventually(() => expect(alice!.stats.dropped.unauthenticated).toBeGreaterThan(dropped))
    expect(heard).toEqual([B])
    expect(alice!.members.get(C)!.auth).toBe('verified')
  })
})
