import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { TalkInput } from '../../../../src/main/engine/input/talk-input'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { ManualScheduler } from '../../../support/manual-scheduler'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

function talkInput(changed: () => void, scheduler = new ManualScheduler()) {
  return new TalkInput({
    scheduler,
    releaseDelayMs: 200,
    bindings: { talk: { device: 'keyboard', code: 'Space' }, mute: null, deafen: null },
    voiceActivation: null,
    // A hook that cannot start (not built here): it says so while the input is being made.
    globalKeys: { script: path.join(dir, 'global-keys.js') },
    logger: silentLogger,
    changed
  })
}

describe('what opens the microphone', () => {
  it('keeps the key hook’s word that it cannot start, given while being made, and tells of changes only after', () => {
    const changed = vi.fn()
    const input = talkInput(changed)
    expect(input.globalKeys.active).toBe(false)
    expect(changed).not.toHaveBeenCalled()
    input.setWindowTalking(true)
    expect([input.talking, changed.mock.calls.length]).toEqual([true, 1])
  })

  it('talks while push-to-talk is held, and the release delay after; mute and deafen close it, the mic test opens it', () => {
    const scheduler = new ManualScheduler()
    const input = talkInput(() => {}, scheduler)
    input.setWindowTalking(true)
    input.setWindowTalking(false)
    expect(input.talking).toBe(true) // the end of the word is not clipped
    scheduler.advanceTo(scheduler.now() + 200)
    expect(input.talking).toBe(false)
    input.setWindowTalking(true)
    input.setMuted(true)
    expect([input.talking, input.muted]).toEqual([false, true])
    input.setMuted(false)
    input.setDeafened(true)
    expect([input.talking, input.muted, input.deafened]).toEqual([false, true, true])
    input.setMicTest(true)
    expect(input.talking).toBe(true)
    input.close()
  })
})
