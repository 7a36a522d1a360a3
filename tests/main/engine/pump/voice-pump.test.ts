import { describe, expect, it } from 'vitest'
import { WavMicrophone } from '../../../../src/main/engine/capture/wav-microphone'
import { MAX_DRAIN_MS, STEAM_POLL_INTERVAL_MS, VoicePump } from '../../../../src/main/engine/pump/voice-pump'
import { EmbeddedSteamVoice } from '../../../../src/main/engine/steam-voice/embedded-steam-voice'
import type { SteamVoice } from '../../../../src/main/engine/steam-voice/steam-voice'
import { EVoiceResult } from '../../../../src/main/engine/steam-voice/voice-result'
import { noise } from '../../../support/audio'
import { LoopFaults } from '../../../../src/main/engine/logging/loop-faults'
import { ManualScheduler } from '../../../support/manual-scheduler'

/** LAN mode: the embedded backend, fed by a microphone that delivers every 10 ms. */
async function lan() {
  const scheduler = new ManualScheduler()
  const voice = await EmbeddedSteamVoice.create({ steamId: 99n, clock: () => scheduler.now() })
  const mic = new WavMicrophone(
    { sampleRate: 48000, samples: noise(48000, -20) },
    scheduler,
    (s, o, c, r, t) => voice.pushMicrophone(s, o, c, r, t),
    true
  )
  const sent: Array<{ at: number; capturedAt: number; bytes: Uint8Array }> = []
  const transmit: string[] = []
  const pump = new VoicePump({
    voice,
    scheduler,
    outgoing: {
      sendVoice: (packet, length, capturedAt) =>
        sent.push({ at: scheduler.now(), capturedAt, bytes: packet.slice(0, length) }) > 0
    },
    onTransmit: (state) => transmit.push(state)
  })
  return { scheduler, voice, mic, pump, sent, transmit }
}

describe('VoicePump', () => {
  it('in LAN mode sends each packet the moment its 20 ms frame is captured, with no timer of its own', async () => {
    const { scheduler, mic, pump, sent } = await lan()
    mic.start()
    scheduler.advanceTo(200)
    expect(sent).toHaveLength(0)
    expect(scheduler.pending).toBe(1) // the microphone's period, nothing of the pump's

    pump.setTalking(true)
    expect(scheduler.pending).toBe(1)
    scheduler.advanceTo(1200)
    expect(sent.length).toBeGreaterThanOrEqual(48)
    // One frame a packet, sent as the microphone delivers the frame's last 10 ms: every 20 ms,
    // and 20 ms after the frame's first sample was captured.
    const gaps = sent.slice(1).map((p, i) => p.at - sent[i]!.at)
    expect(new Set(gaps)).toEqual(new Set([20]))
    for (const packet of sent) expect(packet.at - packet.capturedAt).toBeCloseTo(20, 0)
  })

  it('drains the tail after release, then goes idle and stops', async () => {
    const { scheduler, voice, mic, pump, sent, transmit } = await lan()
    mic.start()
    pump.setTalking(true)
    scheduler.advanceTo(1000)
    const whileHeld = sent.length
    pump.setTalking(false)
    expect(pump.transmitState).toBe('draining')
    scheduler.advanceTo(1600)
    expect(sent.length).toBeGreaterThan(whileHeld) // the tail still went out
    expect(pump.transmitState).toBe('idle')
    expect(transmit).toEqual(['talking', 'draining', 'idle'])
    const afterTail = sent.length
    const captured = voice.captureStats.sent
    scheduler.advanceTo(3000)
    expect(sent.length).toBe(afterTail)
    expect(voice.captureStats.sent).toBe(captured)
    expect(scheduler.pending).toBe(1) // the microphone only
  })

  it('ends the tail on time when the microphone stops delivering', async () => {
    const { scheduler, mic, pump } = await lan()
    mic.start()
    pump.setTalking(true)
    scheduler.advanceTo(500)
    mic.stop()
    pump.setTalking(false)
    scheduler.advanceTo(500 + 1000)
    expect(pump.transmitState).toBe('idle')
    expect(scheduler.pending).toBe(0)
  })

  it('with Steam’s client, polls every 5 ms while the microphone is open, and not at all otherwise', async () => {
    const scheduler = new ManualScheduler()
    let recording = false
    let polls = 0
    const packet = new Uint8Array(40)
    const steam: SteamVoice = {
      startVoiceRecording: () => (recording = true),
      stopVoiceRecording: () => (recording = false),
      getAvailableVoice: () => {
        polls++
        return { result: recording ? EVoiceResult.OK : EVoiceResult.NotRecording, buffer: recording ? 40 : 0 }
      },
      getVoice: () => ({ result: EVoiceResult.OK, written: 40, buffer: packet }),
      decompressVoice: () => ({ result: EVoiceResult.NoData, size: 0, uncompressed: new Uint8Array(0) }),
      getVoiceOptimalSampleRate: () => 24000
    }
    const sent: number[] = []
    const pump = new VoicePump({
      voice: steam,
      scheduler,
      outgoing: { sendVoice: (_p, _l, capturedAt) => sent.push(scheduler.now() - capturedAt) > 0 }
    })
    scheduler.advanceTo(1000)
    expect(polls).toBe(0)
    pump.setTalking(true)
    scheduler.advanceTo(2000)
    expect(polls).toBeGreaterThanOrEqual(1000 / STEAM_POLL_INTERVAL_MS - 1)
    expect(sent.every((age) => age === 20)).toBe(true) // Steam gives no capture time: a frame's age
    pump.setTalking(false)
    scheduler.advanceTo(2100)
    expect(pump.transmitState).toBe('idle')
    const after = polls
    scheduler.advanceTo(4000)
    expect(polls).toBe(after)
    expect(scheduler.pending).toBe(0)
  })

  /** Steam's voice as the tests script it: `read` decides each getVoice. */
  function scriptedSteam(read: () => { result: EVoiceResult; written: number }) {
    let recording = false
    const packet = new Uint8Array(40)
    const steam: SteamVoice = {
      startVoiceRecording: () => (recording = true),
      stopVoiceRecording: () => (recording = false),
      getAvailableVoice: () => ({ result: EVoiceResult.OK, buffer: 40 }), // Steam keeps saying there is more
      getVoice: () => ({ ...read(), buffer: packet }),
      decompressVoice: () => ({ result: EVoiceResult.NoData, size: 0, uncompressed: new Uint8Array(0) }),
      getVoiceOptimalSampleRate: () => 24000
    }
    return { steam, recording: () => recording }
  }

  it('a throw from Steam in a poll is counted and logged once; the pump goes on and release still ends', () => {
    const scheduler = new ManualScheduler()
    let throwing = true
    const { steam } = scriptedSteam(() => {
      if (throwing) throw new Error('SteamAPI_SteamUser_v023 returned null: Steam is not initialised')
      return { result: EVoiceResult.OK, written: 40 }
    })
    const logged: string[] = []
    const faults = new LoopFaults({ info() {}, warn() {}, error: (message) => logged.push(message) })
    let sent = 0
    const pump = new VoicePump({ voice: steam, scheduler, faults, outgoing: { sendVoice: () => ++sent > 0 } })
    pump.setTalking(true)
    scheduler.advanceTo(500)
    expect(faults.counts['voice pump']).toBeGreaterThan(90)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('Steam is not initialised')
    throwing = false
    scheduler.advanceTo(600)
    expect(sent).toBeGreaterThan(0) // the same loop, still running
    pump.setTalking(false)
    scheduler.advanceTo(600 + MAX_DRAIN_MS + 10)
    expect(pump.transmitState).toBe('idle')
  })

  it('a packet Steam will not hand over (BufferTooSmall, forever) is counted, never sent, and release reaches idle', () => {
    const scheduler = new ManualScheduler()
    const { steam } = scriptedSteam(() => ({ result: EVoiceResult.BufferTooSmall, written: 0 }))
    const states: string[] = []
    const pump = new VoicePump({
      voice: steam,
      scheduler,
      outgoing: { sendVoice: () => true },
      onTransmit: (state) => states.push(state)
    })
    pump.setTalking(true)
    scheduler.advanceTo(100)
    pump.setTalking(false)
    scheduler.advanceTo(100 + MAX_DRAIN_MS + 10)
    expect(states).toEqual(['talking', 'draining', 'idle'])
    expect(pump.stats.packetsSent).toBe(0)
    expect(pump.stats.unreadable).toBeGreaterThan(0)
    expect(pump.stats.drainsCutShort).toBe(1)
    expect(scheduler.pending).toBe(0)
  })

  it('a packet the transport could not send is counted as dropped, not as sent', () => {
    const scheduler = new ManualScheduler()
    const { steam } = scriptedSteam(() => ({ result: EVoiceResult.OK, written: 40 }))
    const pump = new VoicePump({ voice: steam, scheduler, outgoing: { sendVoice: () => false } })
    pump.setTalking(true)
    scheduler.advanceTo(50)
    expect(pump.stats.packetsSent).toBe(0)
    expect(pump.stats.bytesSent).toBe(0)
    expect(pump.stats.packetsDropped).toBeGreaterThan(0)
  })
})
