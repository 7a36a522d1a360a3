import { describe, expect, it } from 'vitest'
import { globalHookUnavailable } from '../../../../src/main/engine/input/global-keys'
import { domButtonToUiohook, keyCodeToUiohookName } from '../../../../src/main/engine/input/uiohook-keys'

describe('globalHookUnavailable', () => {
  it('says why there is no global hook on Wayland or without a display, and tries on X11 and elsewhere', () => {
    expect(globalHookUnavailable({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toMatch(/^Wayland does not let apps/)
    expect(globalHookUnavailable({}, 'linux')).toMatch(/^there is no X display/)
    expect(globalHookUnavailable({ DISPLAY: ':0' }, 'linux')).toBeNull()
    expect(globalHookUnavailable({}, 'win32')).toBeNull()
    expect(globalHookUnavailable({}, 'darwin')).toBeNull()
  })
})

describe('key names for the hook', () => {
  it.each([
    ['Space', 'Space'],
    ['KeyV', 'V'],
    ['Digit4', '4'],
    ['F8', 'F8'],
    ['F24', 'F24'],
    ['ControlLeft', 'Ctrl'],
    ['AltRight', 'AltRight'],
    ['Numpad5', 'Numpad5'],
    ['Backquote', 'Backquote'],
    ['CapsLock', 'CapsLock']
  ])('%s is %s to uiohook', (code, name) => {
    expect(keyCodeToUiohookName(code)).toBe(name)
  })

  it('has no name for keys the hook cannot see', () => {
    expect(keyCodeToUiohookName('F25')).toBeNull()
    expect(keyCodeToUiohookName('MediaPlayPause')).toBeNull()
  })

  it('numbers mouse buttons as libuiohook does (1 left, 2 right, 3 middle, 4 and 5 the side buttons)', () => {
    expect([0, 1, 2, 3, 4].map(domButtonToUiohook)).toEqual([1, 3, 2, 4, 5])
  })
})
