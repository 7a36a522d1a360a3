import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setLinuxAutostart, trayLook } from '../../../../src/main/hosts/electron/desktop-life'
import { makeTempDir } from '../../../support/temp-dir'

describe('the tray icon', () => {
  it('shows talking, muted (or deafened), or idle, and says which', () => {
    expect(trayLook({ transmit: 'talking', muted: false, deafened: false })).toEqual({
      icon: 'talking',
      tooltip: 'Parley: talking'
    })
    expect(trayLook({ transmit: 'idle', muted: true, deafened: false }).icon).toBe('muted')
    expect(trayLook({ transmit: 'idle', muted: true, deafened: true }).tooltip).toMatch(/deafened/)
    expect(trayLook({ transmit: 'idle', muted: false, deafened: false }).icon).toBe('idle')
  })
})

describe('start on login (Linux)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => {
    ;({ dir, cleanup } = await makeTempDir())
  })
  afterEach(() => cleanup())

  it('writes an XDG autostart entry that starts Parley, quoted, and removes it when turned off', async () => {
    const file = await setLinuxAutostart(dir, true, ['/opt/Parley App/parley', '--hidden'])
    expect(file).toBe(path.join(dir, 'autostart', 'parley.desktop'))
    const entry = await readFile(file, 'utf8')
    expect(entry).toContain('[Desktop Entry]')
    expect(entry).toContain('Exec="/opt/Parley App/parley" --hidden')
    await setLinuxAutostart(dir, false, [])
    await expect(stat(file)).rejects.toThrow()
  })
})
