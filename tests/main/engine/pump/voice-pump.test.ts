import { describe, expect, it } from 'vitest'
import { WavFileSource } from '../../../../src/main/engine/capture/wav-file-source'
import { VoiceEngine } from '../../../../src/main/engine/pump/voice-pump'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import { parseVoicePacket, VoicePacketView } from '../../../../src/main/engine/steam-voice/voice-packet'
import { noise } from '../../../support/audio'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { encodeAudio } from '../../../../src/main/engine/steam-voice/offline-codec'

async function setup(intervalMs?: number) {
  const scheduler = new ManualScheduler()
  const mic = new WavFileSource({ sampleRate: 48000, samples: noise(48000, -20) }, () => scheduler.now(), true)
  const voice = await EmbeddedSteamVoice.create({ steamId: 99n, microphone: mic, clock: () => scheduler.now() })
  const sent: Array<{ at: number; bytes: Uint8Array }> = []
  const heard: Array<{ speaker: string; count: number; rate: number }> = []
  const activity: Array<{ speaker: string; speaking: boolean; at: number }> = []
  const engine = new VoiceEngine({
    voice,
    outgoing: { sendVoice: (packet, length) => sent.push({ at: scheduler.now(), bytes: packet.slice(0, length) }) },
    sampleRate: 'optimal',
    intervalMs,
    scheduler,
    listener: {
      pcm: (speaker, _samples, count, rate) => heard.push({ speaker, count, rate }),
      activity: (speaker, a) => activity.push({ speaker, speaking: a.speaking, at: scheduler.now() })
    }
  })
  return { scheduler, voice, engine, sent, heard, activity }
}

/** Two seconds of our own encoding of noise: what a talking member sends (one to a few frames a packet). */
const talkPackets = async () => (await encodeAudio({ sampleRate: 24000, samples: noise(48000, -20, 7) }, 77n)).packets

describe('VoiceEngine', () => {
  it.each([
    [10, 100],
    [5, 200],
    [20, 50]
  ])('polls every %i ms: %i ticks a second', async (interval, ticks) => {
    const { scheduler, engine } = await setup(interval)
    engine.start()
    scheduler.advanceTo(1000)
    expect(engine.stats.ticks).toBe(ticks)
  })

  it('refuses an interval outside 5 to 20 ms', async () => {
    await expect(setup(4)).rejects.toThrow(RangeError)
    await expect(setup(25)).rejects.toThrow(RangeError)
  })

  it('sends while push-to-talk is held, drains the tail after release, then stops asking', async () => {
    const { scheduler, engine, sent, voice } = await setup()
    engine.start()
    scheduler.advanceTo(200)
    expect(sent).toHaveLength(0)

    engine.setTalking(true)
    scheduler.advanceTo(1200)
    const whileHeld = sent.length
    expect(whileHeld).toBeGreaterThanOrEqual(45)
    // Packets leave within one tick of being captured: about one 20 ms frame per two 10 ms ticks.
    const gaps = sent.slice(1).map((p, i) => p.at - sent[i]!.at)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(20)

    engine.setTalking(false)
    expect(engine.transmitState).toBe('draining')
    scheduler.advanceTo(1800)
    expect(sent.length).toBeGreaterThan(whileHeld) // the tail still went out
    expect(engine.transmitState).toBe('idle')
    const afterTail = sent.length
    const captured = voice.captureStats.sent
    scheduler.advanceTo(3000)
    expect(sent.length).toBe(afterTail)
    expect(voice.captureStats.sent).toBe(captured)
  })

  it('decodes at Steam’s optimal rate by default and switches rate at once when told', async () => {
    const { engine, heard } = await setup()
    const packets = await talkPackets()
    // Opus decodes natively at 24, 48 and 16 kHz, so each 20 ms frame is exactly rate / 50 samples.
    const frames = (packet: Uint8Array) => {
      const view = new VoicePacketView()
      parseVoicePacket(packet, packet.length, view)
      return view.eventCount
    }
    engine.receive('alice', packets[0]!)
    expect(heard.at(-1)).toEqual({ speaker: 'alice', count: frames(packets[0]!) * 480, rate: 24000 })
    engine.setSampleRate(48000)
    engine.receive('alice', packets[1]!)
    expect(heard.at(-1)).toEqual({ speaker: 'alice', count: frames(packets[1]!) * 960, rate: 48000 })
    engine.setSampleRate(16000)
    engine.receive('alice', packets[2]!)
    expect(heard.at(-1)).toEqual({ speaker: 'alice', count: frames(packets[2]!) * 320, rate: 16000 })
  })

  it('reports a speaker talking while packets arrive and silent 250 ms after the last', async () => {
    const { scheduler, engine, activity } = await setup()
    engine.start()
    const packets = await talkPackets()
    for (let i = 0; i < 20; i++) {
      scheduler.advanceTo(100 + i * 40)
      engine.receive('bob', packets[i]!)
    }
    scheduler.advanceTo(2000)
    const bob = activity.filter((a) => a.speaker === 'bob')
    expect(bob.map((a) => a.speaking)).toEqual([true, false])
    expect(bob[1]!.at - 860).toBeGreaterThan(250)
    expect(bob[1]!.at - 860).toBeLessThanOrEqual(270)
  })

  it('drops corrupt packets without reporting audio', async () => {
    const { engine, heard } = await setup()
    engine.receive('mallory', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]))
    expect(heard).toHaveLength(0)
    expect(engine.stats.packetsCorrupt).toBe(1)
  })
})
