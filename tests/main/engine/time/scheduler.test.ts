import { describe, expect, it } from 'vitest'
import { FixedRateTimer } from '../../../../src/main/engine/time/scheduler'
import { ManualScheduler } from '../../../support/manual-scheduler'

describe('FixedRateTimer', () => {
  it('ticks on a fixed grid: a late tick does not delay the ones after it', () => {
    const scheduler = new ManualScheduler()
    const at: number[] = []
    const timer = new FixedRateTimer(scheduler, 10, () => at.push(scheduler.now()))
    timer.start()
    scheduler.advanceTo(35)
    expect(at).toEqual([10, 20, 30])
    scheduler.lateness = 7 // the timer armed next (for 50) fires 7 ms late...
    scheduler.advanceTo(45)
    scheduler.lateness = 0
    scheduler.advanceTo(1000)
    // ...and the one after it is back on the grid.
    expect(at.slice(3, 6)).toEqual([40, 57, 60])
    expect(at.length).toBe(100)
    expect(timer.slips).toBe(0)
  })

  it('restarts from now after a long stall instead of firing a burst', () => {
    const scheduler = new ManualScheduler()
    const at: number[] = []
    const timer = new FixedRateTimer(scheduler, 10, () => {
      at.push(scheduler.now())
      if (at.length === 2) scheduler.stall(500)
    })
    timer.start()
    scheduler.advanceTo(600)
    expect(timer.slips).toBe(1)
    expect(at.slice(0, 4)).toEqual([10, 20, 530, 540])
  })

  it('stops', () => {
    const scheduler = new ManualScheduler()
    let ticks = 0
    const timer = new FixedRateTimer(scheduler, 5, () => ticks++)
    timer.start()
    scheduler.advanceTo(20)
    timer.stop()
    scheduler.advanceTo(100)
    expect(ticks).toBe(4)
  })
})
