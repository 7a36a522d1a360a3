import { describe, expect, it } from 'vitest'
import { visibleBounds } from '../../../../src/main/hosts/electron/window-bounds'

const screen = { x: 0, y: 0, width: 1920, height: 1040 }
const saved = { x: 100, y: 80, width: 960, height: 680, maximized: false }

describe('visibleBounds', () => {
  it('restores a window that is still on a screen', () => {
    expect(visibleBounds(saved, [screen])).toEqual(saved)
  })

  it('forgets a place on a monitor that is gone, or with its title bar off every screen', () => {
    expect(visibleBounds({ ...saved, x: 2500 }, [screen])).toBeNull()
    expect(visibleBounds({ ...saved, y: -400 }, [screen])).toBeNull()
    expect(visibleBounds({ ...saved, x: 2500 }, [screen, { x: 1920, y: 0, width: 1920, height: 1040 }])).toEqual({
      ...saved,
      x: 2500
    })
  })

  it('ignores a file that is not window bounds', () => {
    expect(visibleBounds({ x: 'a' }, [screen])).toBeNull()
    expect(visibleBounds({ ...saved, width: 10 }, [screen])).toBeNull()
    expect(visibleBounds(null, [screen])).toBeNull()
  })
})
