import { describe, expect, it } from 'vitest'
import { LocalPlayout } from '../../../../src/main/engine/playout/local-playout'
import { SpeakerStream } from '../../../../src/main/engine/speaker/speaker-stream'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { encodeAudio } from '../../../../src/main/engine/steam-voice/offline-codec'
import { parseVoicePacket, VoicePacketView } from '../../../../src/main/engine/steam-voice/voice-packet'
import { noise } from '../../../support/audio'
import { ManualScheduler } from '../../../support/manual-scheduler'

/** Two seconds of our own encoding of noise: one 20 ms frame a packet, as a talking member sends. */
const talkPackets = async () => (await encodeAudio({ sampleRate: 24000, samples: noise(48000, -20, 7) }, 77n)).packets

async function setup(rate = { value: 24000 }) {
  const scheduler = new ManualScheduler()
  const voice = await EmbeddedSteamVoice.create({ steamId: 1n })
  const pushed: Array<{ count: number; rate: number; at: number }> = []
  const activity: Array<{ speaking: boolean; at: number }> = []
  const playout = new LocalPlayout(
    5,
    () => scheduler.now(),
    () => {},
    () => {}
  )
  const push = playout.push.bind(playout)
  playout.push = (samples, offset, count, sampleRate, now) => {
    pushed.push({ count, rate: sampleRate, at: now })
    push(samples, offset, count, sampleRate, now)
  }
  const stream = new SpeakerStream({
    id: 77n,
    voice,
    playout,
    scheduler,
    sampleRate: () => rate.value,
    maxPacketBytes: 1200,
    onActivity: (s) => activity.push({ speaking: s.activity.speaking, at: scheduler.now() })
  })
  return { scheduler, stream, pushed, activity, playout, rate }
}

const frames = (packet: Uint8Array) => {
  const view = new VoicePacketView()
  parseVoicePacket(packet, packet.length, view)
  return view.eventCount
}

describe('SpeakerStream', () => {
  it('decodes at the rate asked for now, and switches at the next packet', async () => {
    const { stream, pushed, rate } = await setup()
    const packets = await talkPackets()
    stream.receive(0, packets[0]!, 0, packets[0]!.length, 0)
    expect(pushed.at(-1)).toMatchObject({ count: frames(packets[0]!) * 480, rate: 24000 })
    rate.value = 48000
    stream.receive(1, packets[1]!, 0, packets[1]!.length, 0)
    expect(pushed.at(-1)).toMatchObject({ count: frames(packets[1]!) * 960, rate: 48000 })
    rate.value = 44100 // not an Opus rate: decoded at 48 kHz, then one cubic resample
    stream.receive(2, packets[2]!, 0, packets[2]!.length, 0)
    expect(pushed.at(-1)!.rate).toBe(44100)
    expect(Math.abs(pushed.at(-1)!.count - frames(packets[2]!) * 882)).toBeLessThanOrEqual(3)
  })

  it('puts packets back in order, and at a gap waits only while there is audio to spare', async () => {
    const { scheduler, stream, pushed } = await setup()
    const packets = await talkPackets()
    const send = (sequence: number, at: number) => {
      scheduler.advanceTo(at)
      stream.receive(sequence, packets[sequence]!, 0, packets[sequence]!.length, at - 20)
    }
    send(0, 20)
    send(2, 60) // 1 is late: held while the queue still has audio
    expect(pushed).toHaveLength(1)
    send(1, 62)
    expect(pushed).toHaveLength(3)
    expect(stream.stats).toMatchObject({ received: 3, lost: 0 })
    send(4, 80) // 3 never comes: the wait gives up before the queue runs dry
    scheduler.advanceTo(200)
    expect(pushed).toHaveLength(4)
    expect(stream.stats.lost).toBe(1)
    expect(stream.stats.concealed).toBeGreaterThanOrEqual(1)
  })

  it('reports the speaker talking while packets arrive, and quiet 250 ms after the last', async () => {
    const { scheduler, stream, activity } = await setup()
    const packets = await talkPackets()
    for (let i = 0; i < 20; i++) {
      scheduler.advanceTo(100 + i * 20)
      stream.receive(i, packets[i]!, 0, packets[i]!.length, scheduler.now() - 20)
    }
    scheduler.advanceTo(2000)
    expect(activity.map((a) => a.speaking)).toEqual([true, false])
    expect(activity[1]!.at - 480).toBeGreaterThan(250)
    expect(activity[1]!.at - 480).toBeLessThanOrEqual(260)
  })

  it('counts its mouth-to-ear from the capture time through the queue ahead of each packet', async () => {
    const { scheduler, stream } = await setup()
    const packets = await talkPackets()
    for (let i = 0; i < 20; i++) {
      scheduler.advanceTo(100 + i * 20)
      // Captured 27 ms before it got here (the frame, the codec, the network).
      stream.receive(i, packets[i]!, 0, packets[i]!.length, scheduler.now() - 27)
    }
    const { p50 } = stream.latency()
    // 27 ms, then the queue ahead: 5 ms of margin at the start, more as packets pile up undrained.
    expect(p50).toBeGreaterThanOrEqual(27 + 5)
  })

  it('drops corrupt packets: nothing is played, and they are counted', async () => {
    const { stream, pushed } = await setup()
    const junk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
    stream.receive(0, junk, 0, junk.length, 0)
    expect(pushed).toHaveLength(0)
    expect(stream.stats.corrupt).toBe(1)
  })
})
