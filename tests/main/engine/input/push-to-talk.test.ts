import { describe, expect, it } from 'vitest'
import { PushToTalk } from '../../../../src/main/engine/input/push-to-talk'
import { ManualScheduler } from '../../../support/manual-scheduler'

function setup(delay = 200) {
  const scheduler = new ManualScheduler()
  const calls: boolean[] = []
  const ptt = new PushToTalk(scheduler, delay, (talking) => calls.push(talking))
  return { scheduler, calls, ptt }
}

describe('PushToTalk', () => {
  it('talks at once on press and stops only after the release delay', () => {
    const { scheduler, calls, ptt } = setup(200)
    ptt.press('window')
    expect(calls).toEqual([true])
    ptt.release('window')
    scheduler.advanceTo(199)
    expect(calls).toEqual([true])
    scheduler.advanceTo(200)
    expect(calls).toEqual([true, false])
  })

  it('a press within the delay keeps the microphone open without a gap', () => {
    const { scheduler, calls, ptt } = setup(200)
    ptt.press('window')
    ptt.release('window')
    scheduler.advanceTo(100)
    ptt.press('window')
    scheduler.advanceTo(1000)
    expect(calls).toEqual([true])
  })

  it('counts the global hook and the window as one key: talking until both let go', () => {
    const { scheduler, calls, ptt } = setup(0)
    ptt.press('global')
    ptt.press('window')
    ptt.release('window')
    scheduler.advanceTo(50)
    expect(calls).toEqual([true])
    ptt.release('global')
    expect(calls).toEqual([true, false])
  })

  it('ignores a release of a source that was not held', () => {
    const { calls, ptt } = setup(0)
    ptt.release('global')
    ptt.press('window')
    ptt.release('global')
    expect(calls).toEqual([true])
  })

  it('uses a changed release delay from the next release', () => {
    const { scheduler, calls, ptt } = setup(200)
    ptt.setReleaseDelay(500)
    ptt.press('window')
    ptt.release('window')
    scheduler.advanceTo(499)
    expect(calls).toEqual([true])
    scheduler.advanceTo(500)
    expect(calls).toEqual([true, false])
  })
})
