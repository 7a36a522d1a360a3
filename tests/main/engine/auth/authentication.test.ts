import { createHash } from 'node:crypto'
import { chmod, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EAuthSessionResponse, EBeginAuthSessionResult } from '../../../../src/main/engine/auth/auth-codes'
import {
  Authentication,
  LanAuthBackend,
  type ValidateAuthTicketResponse
} from '../../../../src/main/engine/auth/authentication'
import {
  generateIdentity,
  IDENTITY_FILE_NAME,
  loadOrCreateIdentity
} from '../../../../src/main/engine/auth/lan-identity'
import { Handshake } from '../../../../src/main/engine/auth/handshake'
import { SessionCrypto } from '../../../../src/main/engine/auth/session-crypto'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

function pair() {
  const alice = new Authentication(new LanAuthBackend(generateIdentity()))
  const bob = new Authentication(new LanAuthBackend(generateIdentity()))
  const events: ValidateAuthTicketResponse[] = []
  bob.onValidateAuthTicketResponse((e) => events.push(e))
  return { alice, bob, events }
}

/** A completed Noise handshake: both sides' keys (the binding is the same on both). */
function handshake() {
  const initiator = Handshake.initiate()
  const responder = Handshake.respond(initiator.lastSent!)!
  expect(initiator.step(responder.lastSent!)).toBe(true)
  expect(responder.step(initiator.lastSent!)).toBe(true)
  return { a: initiator.keys!, b: responder.keys! }
}

describe('LAN identity', () => {
  it('is created on first run, stored owner-only, and the same on the next run', async () => {
    const first = await loadOrCreateIdentity(dir, silentLogger)
    const file = path.join(dir, IDENTITY_FILE_NAME)
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    const second = await loadOrCreateIdentity(dir, silentLogger)
    expect(second.steamId).toBe(first.steamId)
    expect(first.steamId).toBeGreaterThan(0n)
  })

  it('makes an existing identity file that others can read owner-only again, keeping the identity', async () => {
    if (process.platform === 'win32') return
    const first = await loadOrCreateIdentity(dir, silentLogger)
    const file = path.join(dir, IDENTITY_FILE_NAME)
    await chmod(file, 0o644)
    const warnings: string[] = []
    const second = await loadOrCreateIdentity(dir, { ...silentLogger, warn: (m: string) => warnings.push(m) })
    expect(second.steamId).toBe(first.steamId)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(warnings.join()).toMatch(/owner-only/)
  })

  it('reads no more of a huge identity file than an identity can be: kept aside, a new identity made', async () => {
    await writeFile(path.join(dir, IDENTITY_FILE_NAME), Buffer.alloc(1024 * 1024, 0x41))
    const identity = await loadOrCreateIdentity(dir, silentLogger, () => new Date('2026-11-22T00:00:00Z'))
    expect(identity.steamId).toBeGreaterThan(0n)
    expect((await stat(path.join(dir, `${IDENTITY_FILE_NAME}.corrupt-2026-11-22T00-00-00-000Z`))).size).toBe(
      1024 * 1024
    )
  })

  it('an id is 64 bits of the hash of its key, so claiming one means finding a key for all 64', () => {
    const identity = generateIdentity()
    const digest = createHash('sha256').update(identity.publicRaw).digest()
    expect(identity.steamId).toBe(digest.readBigUInt64LE(0))
    // Over many keys the ids use the whole 64 bits (the old ones varied in 32).
    const highs = new Set(Array.from({ length: 64 }, () => generateIdentity().steamId >> 32n))
    expect(highs.size).toBe(64)
  })

  it('keeps a corrupt identity file aside and makes a new identity', async () => {
    await writeFile(path.join(dir, IDENTITY_FILE_NAME), '{"version":1,"privateKey":"bm90IGEga2V5"}')
    const identity = await loadOrCreateIdentity(dir, silentLogger, () => new Date('2026-11-22T00:00:00Z'))
    expect(identity.steamId).toBeGreaterThan(0n)
    expect(await readFile(path.join(dir, `${IDENTITY_FILE_NAME}.corrupt-2026-11-22T00-00-00-000Z`), 'utf8')).toContain(
      'bm90'
    )
  })
})

describe('LAN auth session tickets', () => {
  it('a ticket made for Bob in this session opens a session with Bob', () => {
    const { alice, bob, events } = pair()
    const { a, b } = handshake()
    const ticket = alice.getAuthSessionTicket(bob.localId, a.binding)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId, b.binding)).toBe(EBeginAuthSessionResult.OK)
    expect(bob.activeSessions.map((s) => s.steamId)).toEqual([alice.localId])
    expect(events).toEqual([{ steamId: alice.localId, response: EAuthSessionResponse.OK, ownerSteamId: alice.localId }])
  })

  it('refuses a tampered ticket: any changed byte breaks it', () => {
    const { alice, bob, events } = pair()
    const { a } = handshake()
    const ticket = alice.getAuthSessionTicket(bob.localId, a.binding)
    for (let at = 0; at < ticket.size; at += 4) {
      const tampered = ticket.buffer.slice()
      tampered[at]! ^= 0x01
      const result = bob.beginAuthSession(tampered, tampered.length, alice.localId, a.binding)
      expect([EBeginAuthSessionResult.InvalidTicket, EBeginAuthSessionResult.InvalidVersion]).toContain(result)
    }
    expect(bob.activeSessions).toEqual([])
    expect(events.every((e) => e.response !== EAuthSessionResponse.OK)).toBe(true)
  })

  it('a ticket seen in one session never verifies in another (a replay from elsewhere)', () => {
    const { alice, bob, events } = pair()
    const first = handshake()
    const second = handshake()
    const ticket = alice.getAuthSessionTicket(bob.localId, first.a.binding)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId, second.b.binding)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId, null)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
    expect(events.every((e) => e.response !== EAuthSessionResponse.OK)).toBe(true)
  })

  it('refuses a ticket made for someone else, saying the identity did not match', () => {
    const { alice, bob, events } = pair()
    const { a } = handshake()
    const carol = new Authentication(new LanAuthBackend(generateIdentity()))
    const forCarol = alice.getAuthSessionTicket(carol.localId, a.binding)
    expect(bob.beginAuthSession(forCarol.buffer, forCarol.size, alice.localId, a.binding)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
    expect(events.at(-1)!.response).toBe(EAuthSessionResponse.AuthTicketNetworkIdentityFailure)
  })

  it('refuses a ticket presented by someone who is not its issuer', () => {
    const { alice, bob } = pair()
    const { a } = handshake()
    const mallory = new Authentication(new LanAuthBackend(generateIdentity()))
    const ticket = alice.getAuthSessionTicket(bob.localId, a.binding)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, mallory.localId, a.binding)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
  })

  it('cancelAllTickets and endAllSessions empty the lists', () => {
    const { alice, bob } = pair()
    const carol = new Authentication(new LanAuthBackend(generateIdentity()))
    for (const other of [bob, carol]) {
      const { a } = handshake()
      const ticket = other.getAuthSessionTicket(alice.localId, a.binding)
      alice.beginAuthSession(ticket.buffer, ticket.size, other.localId, a.binding)
      alice.getAuthSessionTicket(other.localId, a.binding)
    }
    expect(alice.activeTickets).toHaveLength(2)
    expect(alice.activeSessions).toHaveLength(2)
    alice.cancelAllTickets()
    alice.endAllSessions()
    expect(alice.activeTickets).toEqual([])
    expect(alice.activeSessions).toEqual([])
  })

  it('garbage is an invalid ticket, never an exception', () => {
    const { alice, bob } = pair()
    const { a } = handshake()
    for (const bytes of [new Uint8Array(0), new Uint8Array(105), new Uint8Array(2000).fill(7)]) {
      expect(bob.beginAuthSession(bytes, bytes.length, alice.localId, a.binding)).not.toBe(EBeginAuthSessionResult.OK)
    }
    // A ticket whose key is not a point on the curve, properly framed.
    const offCurve = alice.getAuthSessionTicket(bob.localId, a.binding).buffer.slice()
    offCurve.fill(0xff, 1, 33)
    expect(bob.beginAuthSession(offCurve, offCurve.length, alice.localId, a.binding)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
    expect(bob.beginAuthSession(new Uint8Array(10), 11, alice.localId, a.binding)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
  })
})

describe('the Noise handshake', () => {
  it('gives both sides the same keys, one per direction, and the same binding', () => {
    const { a, b } = handshake()
    expect(Buffer.from(a.send).equals(Buffer.from(b.receive))).toBe(true)
    expect(Buffer.from(a.receive).equals(Buffer.from(b.send))).toBe(true)
    expect(Buffer.from(a.send).equals(Buffer.from(a.receive))).toBe(false)
    expect(Buffer.from(a.binding).equals(Buffer.from(b.binding))).toBe(true)
  })

  it('forward secrecy: every handshake makes new keys', () => {
    const one = handshake()
    const two = handshake()
    expect(Buffer.from(one.a.send).equals(Buffer.from(two.a.send))).toBe(false)
  })

  it('refuses an all-zero or low-order X25519 key, a wrong size and a tampered message, without throwing', () => {
    // Points of small order on Curve25519: each makes the shared secret all zeros.
    const lowOrder = [
      new Uint8Array(32),
      Uint8Array.from([1, ...new Array(31).fill(0)]),
      Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'),
      Buffer.from('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', 'hex'),
      Buffer.from('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex')
    ]
    for (const key of lowOrder) expect(Handshake.respond(key)).toBeNull()
    expect(Handshake.respond(new Uint8Array(31).fill(9))).toBeNull()
    const initiator = Handshake.initiate()
    const responder = Handshake.respond(initiator.lastSent!)!
    const tampered = responder.lastSent!.slice()
    tampered[50]! ^= 1
    expect(initiator.step(tampered)).toBe(false)
    expect(initiator.step(responder.lastSent!)).toBe(false) // a failed handshake stays failed
    // The responder's ephemeral replaced by a low-order point: the initiator refuses it too.
    const second = Handshake.initiate()
    const answer = Handshake.respond(second.lastSent!)!.lastSent!.slice()
    answer.fill(0, 0, 32)
    expect(second.step(answer)).toBe(false)
    expect(second.keys).toBeNull()
  })
})

describe('session keys and sealed datagrams', () => {
  function sessions() {
    const { a, b } = handshake()
    return { aliceCrypto: new SessionCrypto(a.send, a.receive), bobCrypto: new SessionCrypto(b.send, b.receive) }
  }

  const text = (plain: Uint8Array | null) => (plain ? Buffer.from(plain).toString() : null)

  it('seals and opens; tampered, replayed and foreign datagrams are refused', () => {
    const { aliceCrypto, bobCrypto } = sessions()
    const header = Buffer.from('0123456789abcdefghij')
    const out = Buffer.alloc(200)
    header.copy(out)
    const length = aliceCrypto.seal(out, 20, Buffer.from('hello bob'), 9)
    const datagram = out.subarray(0, length)
    expect(text(bobCrypto.open(datagram, 20, length - 20))).toBe('hello bob')
    expect(bobCrypto.open(datagram, 20, length - 20)).toBeNull() // replayed
    expect(bobCrypto.replays).toBe(1)
    const second = Buffer.from(out)
    const length2 = aliceCrypto.seal(second, 20, Buffer.from('again'), 5)
    const tampered = Buffer.from(second.subarray(0, length2))
    tampered[30]! ^= 1
    expect(bobCrypto.open(tampered, 20, length2 - 20)).toBeNull()
    const headerChanged = Buffer.from(second.subarray(0, length2))
    headerChanged[3]! ^= 1
    expect(bobCrypto.open(headerChanged, 20, length2 - 20)).toBeNull()
    expect(aliceCrypto.open(second.subarray(0, length2), 20, length2 - 20)).toBeNull() // Alice's own key is not Bob's
    expect(text(bobCrypto.open(second.subarray(0, length2), 20, length2 - 20))).toBe('again')
  })

  it('a forgery that reuses a seen counter is refused without counting as a replay', () => {
    const { aliceCrypto, bobCrypto } = sessions()
    const out = Buffer.alloc(64)
    Buffer.from('0123456789abcdefghij').copy(out)
    const length = aliceCrypto.seal(out, 20, Buffer.from('hi'), 2)
    expect(bobCrypto.open(out, 20, length - 20)).not.toBeNull()
    const forged = Buffer.from(out.subarray(0, length))
    forged[length - 1]! ^= 1 // same counter, broken tag
    expect(bobCrypto.open(forged, 20, length - 20)).toBeNull()
    expect(bobCrypto.replays).toBe(0)
    expect(bobCrypto.open(out.subarray(0, length), 20, length - 20)).toBeNull() // the genuine one again
    expect(bobCrypto.replays).toBe(1)
  })

  it('accepts reordered datagrams inside the window, refuses ones older than it', () => {
    const { aliceCrypto, bobCrypto } = sessions()
    const sealed = Array.from({ length: 100 }, (_, i) => {
      const out = Buffer.alloc(64)
      return out.subarray(0, aliceCrypto.seal(out, 20, Buffer.from([i]), 1))
    })
    expect(bobCrypto.open(sealed[90]!, 20, sealed[90]!.length - 20)?.[0]).toBe(90)
    expect(bobCrypto.open(sealed[80]!, 20, sealed[80]!.length - 20)?.[0]).toBe(80) // late but within 64
    expect(bobCrypto.open(sealed[10]!, 20, sealed[10]!.length - 20)).toBeNull() // older than the window
  })

  it('its replay window agrees with the rule on every arrival order: each counter once, none older than 64', () => {
    const { aliceCrypto, bobCrypto } = sessions()
    const sealed = Array.from({ length: 300 }, (_, i) => {
      const out = Buffer.alloc(64)
      return out.subarray(0, aliceCrypto.seal(out, 20, Buffer.from([i & 0xff]), 1))
    })
    let seed = 3
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    // Mostly in order, shuffled locally by up to 80, with duplicates.
    const order = sealed.map((_, i) => ({ i, at: i + random() * 80 })).sort((a, b) => a.at - b.at)
    const arrivals = order.flatMap(({ i }) => (random() < 0.2 ? [i, i] : [i]))
    const seen = new Set<number>()
    let highest = -1
    for (const i of arrivals) {
      const expected = !seen.has(i) && i > highest - 64
      const opened = bobCrypto.open(sealed[i]!, 20, sealed[i]!.length - 20)
      expect(opened !== null).toBe(expected)
      if (expected) {
        seen.add(i)
        highest = Math.max(highest, i)
      }
    }
  })
})
