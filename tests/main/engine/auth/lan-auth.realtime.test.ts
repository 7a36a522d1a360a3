import { startRecordingPeer } from '../../../support/lan-members'

import { createSocket } from 'node:dgram'

import { afterEach, describe, expect, it } from 'vitest'

import {
  DatagramWriter,
  FLAG_SEALED,
  MAX_DATAGRAM_BYTES,
  WIRE_CONTROL,
  WIRE_VOICE
} from '../../../../src/main/engine/transport/wire-protocol'

import { HeadlessPeer } from '../../../../src/main/hosts/cli/headless-peer'

import type { TalkSchedule } from '../../../../src/main/hosts/cli/talk-schedule'

import { peakDbfs } from '../../../../src/main/engine/audio/level'

import type { MonoPcm } from '../../../../src/main/engine/audio/wav-file'

import { splitSteamId } from '../../../../src/shared/steam-id'

import { noise } from '../../../support/audio'

import { FaultRelay } from '../../../support/fault-relay'

import { LanStranger } from '../../../support/lan-stranger'

import { generateIdentity, type LanIdentity } from '../../../../src/main/engine/auth/lan-identity'

// Nobody's voice reaches the speakers before their identity is proven: each case asserts on
// the audio that comes out (none), not only on counters.
const loud: MonoPcm = { sampleRate: 24000, samples: noise(24000 * 10, -20) }
const peers: HeadlessPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.stop()))
})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(20)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
  }
}

async function peer(
  name: string,
  options: { join?: { host: string; port: number }[]; talk?: TalkSchedule; identity?: LanIdentity } = {}
) {
  const started = await startRecordingPeer(name, 24000, {
    join: options.join ?? [],
    mic: options.talk ? loud : null,
    talk: options.talk ?? { kind: 'never' },
    identity: options.identity,
    outputBlocksAhead: undefined // one peer talks to one: the default sound card
  })
  peers.push(started)
  return started
}

/** A voice-shaped payload: its first 8 bytes name `id`, as a Steam voice packet's do. */
function voiceFrom(id: bigint, i: number): Uint8Array {
  const bytes = new Uint8Array(80).fill(i & 0xff)
  const { low, high } = splitSteamId(id)
  new DataView(bytes.buffer).setUint32(0, low, true)
  new DataView(bytes.buffer).setUint32(4, high, true)
  return bytes
}

/** The loudest moment B recorded from sample `from` on. */
const loudestSince = (p: HeadlessPeer, from = 0) => peakDbfs(p.recorded().samples.subarray(from))

describe('LAN auth in a room', () => {
  it('a stranger who completes the handshake but has no valid ticket is never a member, and nothing it sends is played', async () => {
    const b = await peer('B')
    const stranger = await LanStranger.open(generateIdentity().steamId)
    try {
      await stranger.handshake(b.address)
      // A ticket of the right size that proves nothing, then voice, sealed in its session.
      stranger.send(
        stranger.control({ kind: 'auth', ticket: Buffer.alloc(105, 2).toString('base64'), name: 'Rogue' }),
        b.address
      )
      for (let i = 0; i < 50; i++) stranger.send(stranger.sealed(WIRE_VOICE, voiceFrom(stranger.id, i)), b.address)
      stranger.send(stranger.control({ kind: 'roster', members: [] }), b.address)
      await sleep(1000)
      expect(b.transport.members.size).toBe(0) // not shown, not in any roster
      expect(b.stats().members).toEqual([])
      expect(b.stats().dropped.unauthenticated).toBeGreaterThanOrEqual(51)
      expect(loudestSince(b)).toBeLessThan(-90)
      expect(b.transport.pendingCount).toBe(0) // its refused ticket ended it
      // One who goes quiet after the handshake is forgotten within seconds.
      const quiet = await LanStranger.open(generateIdentity().steamId)
      await quiet.handshake(b.address)
      expect(b.transport.pendingCount).toBe(1)
      await until(() => b.transport.pendingCount === 0, 6000)
      quiet.close()
    } finally {
      stranger.close()
    }
  }, 20000)

  it('a claim on someone’s id that is never proven does not keep its owner out', async () => {
    const aIdentity = generateIdentity()
    const b = await peer('B')
    const squatter = await LanStranger.open(aIdentity.steamId)
    try {
      await squatter.handshake(b.address) // first to claim A's id, from its own address, and holds the claim
      expect(b.transport.pendingCount).toBe(1)
      const a = await peer('A', {
        join: [b.address],
        identity: aIdentity,
        talk: { kind: 'windows', windows: [[0.5, 2]] }
      })
      await until(() => b.transport.members.get(aIdentity.steamId)?.auth === 'verified', 3000)
      expect(b.transport.members.get(aIdentity.steamId)!.address).toBe(`127.0.0.1:${a.address.port}`)
      await sleep(2500)
      expect(loudestSince(b)).toBeGreaterThan(-40) // the owner is heard
    } finally {
      squatter.close()
    }
  }, 20000)

  it('a handshake with an all-zero (low-order) key is refused without harm', async () => {
    const b = await peer('B')
    const stranger = await LanStranger.open(123456789n)
    try {
      for (let i = 0; i < 20; i++)
        stranger.send(LanStranger.handshakeDatagram(stranger.writer, 1, new Uint8Array(32)), b.address)
      await sleep(300)
      expect(b.transport.pendingCount).toBe(0)
      expect(b.stats().dropped.malformed).toBe(20)
      const a = await peer('A', { join: [b.address] })
      await until(() => b.transport.members.size === 1 && a.transport.members.size === 1)
    } finally {
      stranger.close()
    }
  }, 15000)

  it('a verified member who sends ids like "1x", port 99999 and host names is dropped message by message; the call goes on', async () => {
    const b = await peer('B')
    const a = await peer('A', { join: [b.address], talk: { kind: 'windows', windows: [[1.5, 3.5]] } })
    const identity = generateIdentity()
    const mallory = await LanStranger.open(identity.steamId)
    try {
      await mallory.join(b.address, identity)
      await until(() => b.transport.members.size === 2)
      const entry = { id: '76561198000000001', name: 'X', host: '127.0.0.1', port: 9 }
      const malformedBefore = b.stats().dropped.malformed
      for (const bad of [{ id: '1x' }, { port: 99999 }, { host: 'example.com' }, { id: '18446744073709551616' }]) {
        const json = new TextEncoder().encode(JSON.stringify({ kind: 'roster', members: [{ ...entry, ...bad }] }))
        mallory.send(mallory.sealed(WIRE_CONTROL, json), b.address)
      }
      await sleep(3500)
      expect(b.stats().dropped.malformed - malformedBefore).toBe(4)
      expect(b.stats().dropped.errors).toBe(0)
      expect(loudestSince(b)).toBeGreaterThan(-40) // A was heard all along
      expect(a.transport.members.size).toBeGreaterThanOrEqual(1)
    } finally {
      mallory.close()
    }
  }, 20000)

  it('sealed voice forged with a member’s id from elsewhere is dropped, and never heard', async () => {
    const b = await peer('B')
    const a = await peer('A', { join: [b.address] })
    await until(() => [...b.transport.members.values()].some((m) => m.auth === 'verified'))
    const attacker = createSocket('udp4')
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', () => resolve()))
    const { low, high } = splitSteamId(a.transport.localId)
    const writer = new DatagramWriter(low, high)
    const out = Buffer.alloc(MAX_DATAGRAM_BYTES)
    const fakeSealer = {
      seal: (o: Uint8Array, at: number, p: Uint8Array, n: number) => (o.set(p.subarray(0, n), at + 8), at + 24 + n)
    }
    for (let i = 0; i < 50; i++) {
      const size = writer.writeSealed(out, WIRE_VOICE, i, Date.now(), new Uint8Array(60).fill(i), 60, fakeSealer)
      expect(out[3]).toBe(FLAG_SEALED)
      attacker.send(out.subarray(0, size), b.address.port, '127.0.0.1')
    }
    await sleep(400)
    attacker.close()
    expect(b.stats().dropped.unauthenticated).toBeGreaterThanOrEqual(50)
    expect(loudestSince(b)).toBeLessThan(-90)
  }, 15000)

  it('replayed captures of a verified member’s voice are dropped, and never heard', async () => {
    const b = await peer('B')
    const relay = await FaultRelay.start(b.address, { loss: 0, jitterMs: 0, duplicate: 0 })
    try {
      relay.capturing = true
      // A talks from 1 s to 2.5 s, through the relay, which records every datagram.
      const a = await peer('A', {
        join: [{ host: '127.0.0.1', port: relay.frontPort }],
        talk: { kind: 'windows', windows: [[1, 2.5]] }
      })
      await sleep(3500)
      expect(loudestSince(b)).toBeGreaterThan(-40) // A was heard while talking
      relay.capturing = false
      const before = b.recorded().samples.length
      const duplicatesBefore = b.stats().dropped.duplicate
      const replayed = relay.replay() // from the address B knows as A's
      expect(replayed).toBeGreaterThan(50)
      await sleep(1500)
      expect(loudestSince(b, before)).toBeLessThan(-90) // nothing of the replay came out
      expect(b.stats().dropped.duplicate - duplicatesBefore).toBeGreaterThan(50)
      expect(a.transport.members.size).toBe(1)

      // The handshake and ticket A sent, replayed from another address: the thief is never a member.
      const thief = createSocket('udp4')
      await new Promise<void>((resolve) => thief.bind(0, '127.0.0.1', () => resolve()))
      for (const message of relay.captured) thief.send(message, b.address.port, '127.0.0.1')
      await sleep(1500)
      expect([...b.transport.members.values()].map((m) => m.address)).toEqual([`127.0.0.1:${relay.backPort}`])
      thief.close()
    } finally {
      relay.close()
    }
  }, 20000)
})
