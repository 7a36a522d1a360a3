import { describe, expect, it } from 'vitest'
import { bindingLabel } from '../../../src/renderer/src/settings/binding-label'

describe('bindingLabel', () => {
  it.each([
    [{ device: 'keyboard', code: 'Space' }, 'Space'],
    [{ device: 'keyboard', code: 'KeyV' }, 'V'],
    [{ device: 'keyboard', code: 'Digit4' }, '4'],
    [{ device: 'keyboard', code: 'ControlLeft' }, 'Control Left'],
    [{ device: 'mouse', button: 3 }, 'Mouse button 4'],
    [{ device: 'mouse', button: 7 }, 'Mouse button 8']
  ] as const)('%j reads as %s', (binding, label) => {
    expect(bindingLabel(binding)).toBe(label)
  })
})
