import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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
import { LAN_TICKET_LIFETIME_MS } from '../../../../src/main/engine/auth/lan-ticket'
import { SessionCrypto } from '../../../../src/main/engine/auth/session-crypto'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { makeTempDir } from '../../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()))
afterEach(() => cleanup())

function pair(now = () => Date.now()) {
  const alice = new Authentication(new LanAuthBackend(generateIdentity(), now), now)
  const bob = new Authentication(new LanAuthBackend(generateIdentity(), now), now)
  const events: ValidateAuthTicketResponse[] = []
  bob.onValidateAuthTicketResponse((e) => events.push(e))
  return { alice, bob, events }
}

describe('LAN identity', () => {
  it('is created on first run, stored owner-only, and the same on the next run', async () => {
    const first = await loadOrCreateIdentity(dir, silentLogger)
    const file = path.join(dir, IDENTITY_FILE_NAME)
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    const second = await loadOrCreateIdentity(dir, silentLogger)
    expect(second.steamId).toBe(first.steamId)
    expect(first.steamId).toBeGreaterThan(76561197960265728n)
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
  it('a ticket made for Bob opens a session with Bob', () => {
    const { alice, bob, events } = pair()
    const ticket = alice.getAuthSessionTicket(bob.localId)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId)).toBe(EBeginAuthSessionResult.OK)
    expect(bob.activeSessions.map((s) => s.steamId)).toEqual([alice.localId])
    expect(events).toEqual([{ steamId: alice.localId, response: EAuthSessionResponse.OK, ownerSteamId: alice.localId }])
  })

  it('refuses an expired ticket', () => {
    let now = 1_800_000_000_000
    const { alice, bob } = pair(() => now)
    const ticket = alice.getAuthSessionTicket(bob.localId)
    now += LAN_TICKET_LIFETIME_MS + 1
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId)).toBe(EBeginAuthSessionResult.ExpiredTicket)
    expect(bob.activeSessions).toEqual([])
  })

  it('refuses a tampered ticket: any changed byte breaks the signature', () => {
    const { alice, bob, events } = pair()
    const ticket = alice.getAuthSessionTicket(bob.localId)
    for (const at of [0, 5, 20, 45, 60, 70, 90, 120, 176]) {
      const tampered = ticket.buffer.slice()
      tampered[at]! ^= 0x01
      const result = bob.beginAuthSession(tampered, tampered.length, alice.localId)
      expect([EBeginAuthSessionResult.InvalidTicket, EBeginAuthSessionResult.InvalidVersion]).toContain(result)
    }
    expect(bob.activeSessions).toEqual([])
    expect(events.every((e) => e.response !== EAuthSessionResponse.OK)).toBe(true)
  })

  it('refuses a ticket made for someone else, saying the identity did not match', () => {
    const { alice, bob, events } = pair()
    const carol = new Authentication(new LanAuthBackend(generateIdentity()))
    const forCarol = alice.getAuthSessionTicket(carol.localId)
    expect(bob.beginAuthSession(forCarol.buffer, forCarol.size, alice.localId)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
    expect(events.at(-1)!.response).toBe(EAuthSessionResponse.AuthTicketNetworkIdentityFailure)
  })

  it('refuses a ticket presented by someone who is not its issuer', () => {
    const { alice, bob } = pair()
    const mallory = new Authentication(new LanAuthBackend(generateIdentity()))
    const ticket = alice.getAuthSessionTicket(bob.localId)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, mallory.localId)).toBe(
      EBeginAuthSessionResult.InvalidTicket
    )
  })

  it('refuses a ticket used twice, even after the first session ended', () => {
    const { alice, bob, events } = pair()
    const ticket = alice.getAuthSessionTicket(bob.localId)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId)).toBe(EBeginAuthSessionResult.OK)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId)).toBe(
      EBeginAuthSessionResult.DuplicateRequest
    )
    bob.endAuthSession(alice.localId)
    expect(bob.beginAuthSession(ticket.buffer, ticket.size, alice.localId)).toBe(
      EBeginAuthSessionResult.DuplicateRequest
    )
    expect(events.at(-1)!.response).toBe(EAuthSessionResponse.AuthTicketInvalidAlreadyUsed)
  })

  it('cancelAllTickets and endAllSessions empty the lists', () => {
    const { alice, bob } = pair()
    const carol = new Authentication(new LanAuthBackend(generateIdentity()))
    for (const other of [bob, carol]) {
      const ticket = other.getAuthSessionTicket(alice.localId)
      alice.beginAuthSession(ticket.buffer, ticket.size, other.localId)
      alice.getAuthSessionTicket(other.localId)
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
    for (const bytes of [new Uint8Array(0), new Uint8Array(177), new Uint8Array(2000).fill(7)]) {
      expect(bob.beginAuthSession(bytes, bytes.length, alice.localId)).not.toBe(EBeginAuthSessionResult.OK)
    }
    expect(bob.beginAuthSession(new Uint8Array(10), 11, alice.localId)).toBe(EBeginAuthSessionResult.InvalidTicket)
  })
})

describe('session keys and sealed datagrams', () => {
  function sessions() {
    const { alice, bob } = pair()
    const aliceBackend = alice.backend as LanAuthBackend
    const bobBackend = bob.backend as LanAuthBackend
    const forBob = alice.getAuthSessionTicket(bob.localId)
    const forAlice = bob.getAuthSessionTicket(alice.localId)
    bob.beginAuthSession(forBob.buffer, forBob.size, alice.localId)
    alice.beginAuthSession(forAlice.buffer, forAlice.size, bob.localId)
    const a = aliceBackend.keysFor(forBob.id, bob.localId)!
    const b = bobBackend.keysFor(forAlice.id, alice.localId)!
    return { aliceCrypto: new SessionCrypto(a.send, a.receive), bobCrypto: new SessionCrypto(b.send, b.receive), a, b }
  }

  const text = (plain: Uint8Array | null) => (plain ? Buffer.from(plain).toString() : null)

  it('both sides agree the same keys, one per direction', () => {
    const { a, b } = sessions()
    expect(a.send.equals(b.receive)).toBe(true)
    expect(a.receive.equals(b.send)).toBe(true)
    expect(a.send.equals(a.receive)).toBe(false)
  })

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
