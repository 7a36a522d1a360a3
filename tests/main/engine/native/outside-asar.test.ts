import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { outsideAsar } from '../../../../src/main/engine/native/outside-asar'

describe('outsideAsar', () => {
  it('points a file in the app archive at its unpacked copy, and leaves every other path alone', () => {
    const resources = path.join(path.sep, 'opt', 'Parley', 'resources')
    expect(outsideAsar(path.join(resources, 'app.asar', 'out', 'main', 'global-keys.js'))).toBe(
      path.join(resources, 'app.asar.unpacked', 'out', 'main', 'global-keys.js')
    )
    const source = path.join(path.sep, 'home', 'ada', 'parley', 'out', 'main', 'global-keys.js')
    expect(outsideAsar(source)).toBe(source)
    const lookalike = path.join(path.sep, 'x', 'app.asar.old', 'global-keys.js')
    expect(outsideAsar(lookalike)).toBe(lookalike)
  })
})
