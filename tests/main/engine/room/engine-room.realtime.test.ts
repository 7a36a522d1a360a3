import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { createEngine, type ParleyEngine } from '../../../../src/main/engine/parley-engine'
import type { RoomState } from '../../../../src/shared/contract'
import { decodePlaybackFrame, PLAYBACK_FRAME_AUDIO } from '../../../../src/shared/playback-frame'
import { noise } from '../../../support/audio'
import { captureFrame } from '../../../support/capture-frames'
import { makeTempDir, REPO_ROOT } from '../../../support/temp-dir'

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
  const created = await createEngine({
    dataDir: path.join(dir, name),
    appRoot: REPO_ROOT,
    host: 'browser',
    logger: silentLogger,
    name,
    listen: { host: '127.0.0.1', port: 0 },
    globalKeys: false,
    playbackRoute: { via: 'websocket', path: '/playback' },
    captureRoute: { via: 'websocket', path: '/capture' }
  })
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
    b.addPlaybackSink((frame) => frames.push(frame))
    await a.dispatch('voice:setTalking', { talking: true })
    const speech = noise(48000, -20)
    for (let i = 0; i < 50; i++) {
      a.pushCapture(captureFrame(48000, speech.subarray(i * 960, (i + 1) * 960)))
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await a.dispatch('voice:setTalking', { talking: false })
    await expect.poll(() => frames.length, { timeout: 3000 }).toBeGreaterThan(20)
    const decoded = frames.map((frame) => decodePlaybackFrame(frame)!)
    expect(decoded.every((frame) => frame.kind === PLAYBACK_FRAME_AUDIO && frame.speaker === roomA.self.id)).toBe(true)
    expect(decoded.every((frame) => frame.sampleRate === 24000 && frame.targetMs >= 20 && frame.targetMs <= 60)).toBe(
      true
    )
    let energy = 0
    let count = 0
    for (const frame of decoded) {
      for (const sample of frame.samples) energy += sample * sample
      count += frame.samples.length
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
