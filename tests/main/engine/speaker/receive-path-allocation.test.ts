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
 * decoded at 48 kHz, queued in its speaker's playout and played by the output. Counted with V8's
 * sampling heap profiler (every allocation has a 1-in-32-bytes chance to be sampled, with its
 * stack), which by default keeps only objects still alive when sampling stops: so this holds the
 * path to retaining nothing per packet (a buffer kept, a growing list), not to making no garbage.
 * Counting collected objects too (includeObjectsCollectedByMinorGC) reads ~750 bytes a packet of
 * short-lived garbage, mostly in SpeakerStream.deliver, PlayoutBuffer.push and SpeakingTracker:
 * known, and the next step for this test.
 */
describe('the receive path', () => {
  it('retains nothing per packet once warm', async () => {
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
    receive(datagrams.length) // warm up: JIT, first decoder, views made once
    const measured = datagrams.length
    /** Bytes sampled in frames of our own code (src/) over one lap, per packet. */
    const sampledLap = async (): Promise<number> => {
      // Fresh counters each lap: the replay window must see new ones, so seal the packets again.
      const resealed = packets.map((packet, i) => {
        const out = new Uint8Array(MAX_DATAGRAM_BYTES)
        return out.slice(0, writer.writeSealed(out, WIRE_VOICE, i, 0, packet, packet.length, sender))
      })
      datagrams.splice(0, datagrams.length, ...resealed)
      const session = new Session()
      session.connect()
      await session.post('HeapProfiler.enable')
      await session.post('HeapProfiler.startSampling', { samplingInterval: 32 })
      receive(measured)
      const { profile } = await session.post('HeapProfiler.stopSampling')
      session.disconnect()
      let ours = 0
      const walk = (node: typeof profile.head, inOurs: boolean): void => {
        const here = inOurs || node.callFrame.url.includes('/src/')
        if (here) ours += node.selfSize
        for (const child of node.children) walk(child, here)
      }
      walk(profile.head, false)
      return ours / measured
    }
    // What a packet retains shows in every lap; a one-off (a late tier-up, a view made once) rarely
    // in two. One lap alone read 36-49 here (it failed at 48.7 and 64.7); the second lap 16-27.
    const bytesPerPacket = Math.min(await sampledLap(), await sampledLap())
    expect(stream.stats.corrupt).toBe(0)
    expect(stream.stats.received).toBe(3 * measured) // every packet of the warm-up and both laps
    expect(stream.stats.lost).toBe(0)
    expect(bytesPerPacket).toBeLessThan(48)
  })
})
