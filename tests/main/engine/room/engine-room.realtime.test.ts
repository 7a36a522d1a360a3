import path from 'node:path'
import { testEngine } from '../../../support/test-engine'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { type ParleyEngine } from '../../../../src/main/engine/parley-engine'
import type { RoomState } from '../../../../src/shared/contract'

import {
  parsePlaybackFrame,
  PLAYBACK_FRAME_AUDIO,
  PLAYBACK_FRAME_HEADER_BYTES,
  PlaybackFrameView
} from '../../../../src/shared/playback-frame'

import { joinSteamId } from '../../../../src/shared/steam-id'

import { noise } from '../../../support/audio'

import { captureFrame } from '../../../support/capture-frames'

import { makeTempDir } from '../../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
const engines: ParleyEngine[] = []

beforeEach(async () => {
  ;({ dir, cleanup } = await makeTempDir())
})
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()))
  await cleanup()
})

async function engine(name: string): Promise<ParleyEngine> {
  const created = await testEngine(dir, { dataDir: path.join(dir, name), name })
  engines.push(created)
  return created
}

const value = async <T>(result: Promise<unknown>) => ((await result) as { ok: true; value: T }).value

describe('a room between two engines over the contract', () => {
  it('joins by address, verifies tickets both ways, and plays A’s voice as frames in B', async () => {
    const a = await engine('Ada')
    const b = await engine('Bea')
    const roomA = await value<RoomState>(a.dispatch('room:get', undefined))
    expect(roomA.joinCode).toMatch(/^127\.0\.0\.1:\d+$/)
    const changes: RoomState[] = []
    b.onEvent((event, payload) => event === 'room:changed' && changes.push(payload as RoomState))

    await value(b.dispatch('room:join', { code: roomA.joinCode! }))
    await expect
      .poll(async () => (await value<RoomState>(b.dispatch('room:get', undefined))).members, { timeout: 5000 })
      .toEqual([expect.objectContaining({ id: roomA.self.id, name: 'Ada', auth: 'verified', authDetail: null })])
    await expect
      .poll(async () => (await value<RoomState>(a.dispatch('room:get', undefined))).members.map((m) => m.auth))
      .toEqual(['verified'])
    expect(changes.length).toBeGreaterThan(0)

    const frames: ArrayBuffer[] = []
    // The frame is B's reused buffer: a sink that keeps it copies it, as the hosts do.
    b.addPlaybackListener((frame) => frames.push(frame.slice().buffer))
    await a.dispatch('voice:setTalking', { talking: true })
    const speech = noise(48000, -20)
    for (let i = 0; i < 50; i++) {
      a.pushCapture(captureFrame(48000, speech.subarray(i * 960, (i + 1) * 960)))
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await a.dispatch('voice:setTalking', { talking: false })
    await expect.poll(() => frames.length, { timeout: 3000 }).toBeGreaterThan(20)
    const view = new PlaybackFrameView()
    let energy = 0
    let count = 0
    for (const frame of frames) {
      expect(parsePlaybackFrame(frame, view)).toBe(true)
      expect(view.kind).toBe(PLAYBACK_FRAME_AUDIO)
      expect(joinSteamId(view.speakerLow, view.speakerHigh).toString()).toBe(roomA.self.id)
      expect(view.sampleRate).toBe(24000)
      for (const sample of new Int16Array(frame, PLAYBACK_FRAME_HEADER_BYTES, view.count)) energy += sample * sample
      count += view.count
    }
    expect(Math.sqrt(energy / count)).toBeGreaterThan(500) // -20 dBFS noise ≈ 3277 RMS, gated edges aside
  })

  it('refuses a join code that is not an address, and changes nothing', async () => {
    const a = await engine('Ada')
    for (const code of ['nowhere', '127.0.0.1:0', '127.0.0.1:70000', 'http://x:1']) {
      expect(await a.dispatch('room:join', { code })).toMatchObject({
        ok: false,
        error: { code: 'failed', message: expect.stringContaining('is not an address') }
      })
    }
    expect((await value<RoomState>(a.dispatch('room:get', undefined))).members).toEqual([])
  })
})
