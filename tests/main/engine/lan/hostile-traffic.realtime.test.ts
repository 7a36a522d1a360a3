import { createSocket, type Socket } from 'node:dgram'

import { readFile } from 'node:fs/promises'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { generateIdentity } from '../../../../src/main/engine/auth/lan-identity'

import { readWavFile, type MonoPcm } from '../../../../src/main/engine/audio/wav-file'

import type { HeadlessPeer, HeadlessPeerOptions } from '../../../../src/main/hosts/cli/headless-peer'

import { DatagramWriter } from '../../../../src/main/engine/transport/wire-protocol'

import { speechWav } from '../../../support/audio'
import { structuredFuzz } from '../../../support/lan-fuzz'

import { LanStranger } from '../../../support/lan-stranger'

import { startCall } from '../../../support/peer-process'

import { startRecordingPeer } from '../../../support/lan-members'

import { describeVerdict, judgeSpeech, KEEPS_THE_CODECS } from '../../../support/speech-judge'

import { makeTempDir } from '../../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
let speechFile: string
let speech: MonoPcm
beforeAll(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  speechFile = speechWav(
    dir,
    'Strangers on the network send us everything they can think of. ' +
      'The call between friends goes on, and every word still comes through clearly, one after another.'
  )
  speech = await readWavFile(speechFile)
})
afterAll(() => cleanup())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Resident memory of a process, from outside (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

describe('hostile traffic against a live call', () => {
  it.skipIf(process.platform !== 'linux')(
    'a flood of 10,000 first handshake messages a second from made-up ids: memory stays flat and the call goes on',
    async () => {
      const call = await startCall(dir, 'flood', { mic: speechFile, talk: '2-60', duration: 10 })
      const { b } = call
      await sleep(2500) // the call is up
      const before = await rssMb(b.child.pid!)
      // 16 sources, each a socket of its own; every datagram a new id and a well-formed first message.
      const sockets: Socket[] = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const socket = createSocket('udp4')
          await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
          return socket
        })
      )
      // Made before the flood, so the flooder's own work does not take the call's CPU: 4,000
      // first messages, each from its own made-up id, sent round and round.
      const datagrams = Array.from({ length: 4000 }, (_, n) => {
        const id = 1000n + BigInt(n)
        const writer = new DatagramWriter(Number(id & 0xffffffffn), Number(id >> 32n))
        const first = new Uint8Array(32).map((_, k) => (n * 7 + k * 13) & 0xff)
        return LanStranger.handshakeDatagram(writer, 1, first, n)
      })
      let sent = 0
      const floodSeconds = 4
      for (let tick = 0; tick < floodSeconds * 100; tick++) {
        const started = Date.now()
        for (let i = 0; i < 100; i++) {
          sockets[sent % 16]!.send(datagrams[sent % datagrams.length]!, call.bPort, '127.0.0.1')
          sent++
        }
        await sleep(Math.max(0, 10 - (Date.now() - started)))
      }
      const after = await rssMb(b.child.pid!)
      for (const socket of sockets) socket.close()
      console.log(
        `flood: ${sent} first messages in ${floodSeconds} s; B's RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`
      )
      expect(after - before).toBeLessThan(20)
      const exits = await call.finish()
      expect([exits.a.code, exits.b.code]).toEqual([0, 0])
      const stats = JSON.parse(await readFile(call.files.bStats, 'utf8'))
      expect(stats.dropped.refused).toBeGreaterThan(sent / 2) // admission turned most away before any cryptography
      expect(stats.dropped.errors).toBe(0)
      const heard = await readWavFile(call.files.bRecording)
      // The call went on: every voice packet arrived (the defence turned away the flood, not A),
      // and B played it.
      expect(stats.lost).toBe(0)
      const verdict = await judgeSpeech(
        { samples: speech.samples, from: Math.round(2.15 * speech.sampleRate) },
        heard.samples,
        heard.sampleRate
      )
      console.log(describeVerdict('under the flood', verdict))
      // Every packet arrived; what the flood costs is B's output timing, with three busy processes
      // on two cores: 0.962-0.972 of the codec over four runs. The old bar was 0.85 of ~0.944.
      expect(verdict.ratio).toBeGreaterThanOrEqual(0.93)
    },
    40000
  )

  it('structured fuzzing, from strangers and from a verified member, for about 20 s: nothing throws and the call goes on', async () => {
    const peers: HeadlessPeer[] = []
    const start = (name: string, options: Partial<HeadlessPeerOptions> = {}) =>
      startRecordingPeer(name, speech.sampleRate, options).then((peer) => (peers.push(peer), peer))
    const identity = generateIdentity()
    const mallory = await LanStranger.open(identity.steamId)
    try {
      const b = await start('B')
      await start('A', { join: [b.address], mic: speech, talk: { kind: 'windows', windows: [[2, 60]] } })
      const validTicket = await mallory.join(b.address, identity)
      for (let i = 0; i < 100 && b.transport.members.size < 2; i++) await sleep(20)
      expect(b.transport.members.size).toBe(2)

      const counts = await structuredFuzz(mallory, b.address, { seconds: 18, perSecond: 2000, seed: 42, validTicket })
      console.log(
        `fuzz: ${counts.sent} datagrams (${Object.entries(counts.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')})`
      )
      await sleep(500)
      const stats = b.stats()
      expect(stats.dropped.errors).toBe(0)
      expect(counts.sent).toBeGreaterThan(20000)
      const a = [...b.transport.members.values()].find((m) => m.name === 'A')
      expect(a?.auth).toBe('verified') // A is still in the call
      const spoken = { samples: speech.samples, from: Math.round(2.15 * speech.sampleRate) }
      const verdict = await judgeSpeech(spoken, b.recorded().samples, speech.sampleRate)
      console.log(describeVerdict('under fuzzing', verdict))
      expect(verdict.ratio).toBeGreaterThanOrEqual(KEEPS_THE_CODECS)
    } finally {
      mallory.close()
      await Promise.all(peers.map((peer) => peer.stop()))
    }
  }, 60000)
})
