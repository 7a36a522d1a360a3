import { createSocket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import {
  DatagramWriter,
  FLAG_SEALED,
  MAX_DATAGRAM_BYTES,
  WIRE_VOICE
} from '../../../../src/main/engine/transport/wire-protocol'
import { HeadlessPeer } from '../../../../src/main/engine/peer/headless-peer'
import type { TalkSchedule } from '../../../../src/main/engine/peer/talk-schedule'
import { peakDbfs } from '../../../../src/main/engine/audio/level'
import type { MonoPcm } from '../../../../src/main/engine/audio/wav-file'
import { splitSteamId } from '../../../../src/shared/steam-id'
import { noise } from '../../../support/audio'
import { FaultRelay } from '../../../support/fault-relay'

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
  options: { join?: { host: string; port: number }[]; talk?: TalkSchedule; authenticate?: boolean } = {}
) {
  const started = await HeadlessPeer.start({
    name,
    listen: { host: '127.0.0.1', port: 0 },
    join: options.join ?? [],
    mic: options.talk ? loud : null,
    talk: options.talk ?? { kind: 'never' },
    record: true,
    sampleRate: 24000,
    logger: silentLogger,
    authenticate: options.authenticate
  })
  peers.push(started)
  return started
}

/** The loudest moment B recorded from sample `from` on. */
const loudestSince = (p: HeadlessPeer, from = 0) => peakDbfs(p.recorded().samples.subarray(from))

describe('LAN auth in a room', () => {
  it('a peer without a ticket can join, but nothing it says is played', async () => {
    const b = await peer('B')
    const rogue = await peer('Rogue', { join: [b.address], talk: { kind: 'always' }, authenticate: false })
    await until(() => b.transport.members.size === 1)
    await sleep(1500)
    expect(rogue.stats().sent).toBeGreaterThan(30) // it did talk
    expect(b.stats().dropped.unauthenticated).toBeGreaterThan(30)
    expect(b.stats().members).toEqual([expect.objectContaining({ name: 'Rogue', auth: 'verifying' })])
    expect(loudestSince(b)).toBeLessThan(-90) // and none of it came out
  }, 15000)

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
    } finally {
      relay.close()
    }
  }, 20000)
})
