import { Session } from 'node:inspector/promises'
import { describe, expect, it } from 'vitest'
import { SessionCrypto } from '../../../../src/main/engine/auth/session-crypto'
import { LocalPlayout } from '../../../../src/main/engine/playout/local-playout'
import { SpeakerStream } from '../../../../src/main/engine/speaker/speaker-stream'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { encodeAudio } from '../../../../src/main/engine/steam-voice/offline-codec'
import {
  DatagramWriter,
  MAX_DATAGRAM_BYTES,
  parseDatagram,
  WIRE_VOICE,
  WireView
} from '../../../../src/main/engine/transport/wire-protocol'
import { noise } from '../../../support/audio'
import type { Scheduler } from '../../../../src/main/engine/time/scheduler'

/**
 * Main's receive path, packet by packet: a sealed datagram is parsed and opened, put in order,
 * decoded at 48 kHz, queued in its speaker's playout and played by the output. Once warm, it
 * allocates nothing. Counted with V8's sampling heap profiler (every allocation has a 1-in-32-bytes
 * chance to be sampled, with its stack), so a single allocation per packet would show as tens of
 * bytes a packet; what shows instead is a few sampled one-offs (views made once per length, JIT).
 */
describe('the receive path', () => {
  it('allocates nothing per packet once warm', async () => {
    const { packets } = await encodeAudio({ sampleRate: 24000, samples: noise(24000 * 20, -20, 5) }, 7n)
    const key = new Uint8Array(32).fill(3)
    const sender = new SessionCrypto(key, key)
    const receiver = new SessionCrypto(key, key)
    const writer = new DatagramWriter(7, 0)
    // The datagrams as they would come off the socket.
    const datagrams = packets.map((packet) => {
      const out = new Uint8Array(MAX_DATAGRAM_BYTES)
      return out.slice(
        0,
        writer.writeSealed(out, WIRE_VOICE, writer.next(WIRE_VOICE), 0, packet, packet.length, sender)
      )
    })
    // Time moves by hand, and timers are only counted (a real one allocates its own handle).
    let now = 0
    let timers = 0
    const scheduler: Scheduler = { now: () => now, setTimeout: () => ++timers, clearTimeout: () => {} }
    const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
    const playout = new LocalPlayout(
      2.67,
      () => now,
      () => {},
      () => {}
    )
    const stream = new SpeakerStream({
      id: 7n,
      voice,
      playout,
      scheduler,
      sampleRate: () => 48000,
      maxPacketBytes: MAX_DATAGRAM_BYTES,
      onActivity: () => {}
    })
    const view = new WireView()
    let sequence = 0
    const receive = (count: number) => {
      for (let i = 0; i < count; i++) {
        const datagram = datagrams[sequence % datagrams.length]!
        if (!parseDatagram(datagram, datagram.length, view)) throw new Error('not a datagram')
        const plain = receiver.open(datagram, view.payloadOffset, view.payloadLength)
        if (!plain) throw new Error('did not open')
        stream.receive(sequence++ & 0xffff, plain, 0, plain.length, now - 20)
        // The output takes its blocks (128 at 48 kHz) over the next 20 ms.
        for (let block = 0; block < 8; block++) {
          now += 2.5
          playout.current?.pull(null, 0, 120, now)
        }
      }
    }
    // Fresh keys each lap: the replay window must see new counters, so seal a second set.
    receive(datagrams.length) // warm up: JIT, first decoder, views made once
    const resealed = packets.map((packet, i) => {
      const out = new Uint8Array(MAX_DATAGRAM_BYTES)
      return out.slice(0, writer.writeSealed(out, WIRE_VOICE, i, 0, packet, packet.length, sender))
    })
    datagrams.splice(0, datagrams.length, ...resealed)
    const measured = datagrams.length
    const session = new Session()
    session.connect()
    await session.post('HeapProfiler.enable')
    await session.post('HeapProfiler.startSampling', { samplingInterval: 32 })
    receive(measured)
    const { profile } = await session.post('HeapProfiler.stopSampling')
    session.disconnect()
    // Bytes sampled in frames of our own code (src/), per packet.
    let ours = 0
    const walk = (node: typeof profile.head, inOurs: boolean): void => {
      const here = inOurs || node.callFrame.url.includes('/src/')
      if (here) ours += node.selfSize
      for (const child of node.children) walk(child, here)
    }
    walk(profile.head, false)
    expect(stream.stats.corrupt).toBe(0)
    expect(stream.stats.received).toBe(2 * measured)
    expect(stream.stats.lost).toBe(0)
    expect(ours / measured).toBeLessThan(48)
  })
})
