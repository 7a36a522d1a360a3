import { describe, expect, it } from 'vitest'
import { inviteLink, joinCodeFromArgs, joinCodeFromLink } from '../../../../src/main/engine/room/invite-link'

describe('invite links', () => {
  it('carry a LAN address or a Steam lobby id, and read back to the same code', () => {
    for (const code of ['192.168.1.20:47810', '[fe80::1]:47700', 'gaming-pc.local:47700', '109775241021923456']) {
      expect(joinCodeFromLink(inviteLink(code))).toBe(code)
    }
    expect(inviteLink('10.0.0.5:47700')).toBe('parley://join/10.0.0.5%3A47700')
    expect(joinCodeFromLink('parley://join/10.0.0.5:47700')).toBe('10.0.0.5:47700')
  })

  it('refuse anything that is not exactly one of ours', () => {
    for (const link of [
      'https://join/10.0.0.5:47700',
      'parley://leave/10.0.0.5:47700',
      'parley://join/',
      'parley://join/10.0.0.5:47700/more',
      'parley://join/10.0.0.5:99999',
      'parley://join/10.0.0.5:47700?then=evil',
      'parley://join/10.0.0.5:47700#x',
      'parley://user@join/10.0.0.5:47700',
      'parley://join/%E0%A4%A',
      'parley://join/not an address',
      'parley://join/--inspect=0.0.0.0:9229',
      `parley://join/${'1'.repeat(400)}`,
      'parley:join'
    ]) {
      expect(joinCodeFromLink(link), link).toBeNull()
    }
  })

  it('are found among a launch’s arguments, as is Steam’s +connect_lobby', () => {
    expect(joinCodeFromArgs(['/opt/Parley/parley', '--no-sandbox', 'parley://join/192.168.1.20:47810'])).toBe(
      '192.168.1.20:47810'
    )
    expect(joinCodeFromArgs(['Parley.exe', '+connect_lobby', '109775241021923456'])).toBe('109775241021923456')
    expect(joinCodeFromArgs(['Parley.exe', '+connect_lobby', '0'])).toBeNull()
    expect(joinCodeFromArgs(['Parley.exe', '+connect_lobby'])).toBeNull()
    expect(joinCodeFromArgs(['parley', 'parley://join/bad', '--data-dir', '/x'])).toBeNull()
    expect(joinCodeFromArgs(['parley'])).toBeNull()
  })
})
