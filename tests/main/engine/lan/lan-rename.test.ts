import { openLanTransport } from '../../../support/lan-members'

import { afterEach, describe, expect, it } from 'vitest'

import { LanTransport } from '../../../../src/main/engine/lan/lan-transport'

const open: LanTransport[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((transport) => transport.close()))
})

async function member(name: string) {
  const t = await openLanTransport(name)
  open.push(t)
  return t
}

const names = (t: LanTransport) => [...t.members.values()].map((m) => m.name).sort()

describe('a new display name', () => {
  it('reaches every member of a room of three at once, and is what later joiners hear', async () => {
    const [ada, bea, cy] = await Promise.all([member('Ada'), member('Bea'), member('Cy')])
    await bea.join('127.0.0.1', ada.address.port)
    await cy.join('127.0.0.1', ada.address.port)
    await expect
      .poll(() => [names(ada), names(bea), names(cy)], { timeout: 5000 })
      .toEqual([
        ['Bea', 'Cy'],
        ['Ada', 'Cy'],
        ['Ada', 'Bea']
      ])
    const changed: string[] = []
    bea.setHandlers({ memberChanged: (m) => changed.push(m.name) })
    ada.setName('Ada L.')
    await expect
      .poll(() => [names(bea), names(cy)], { timeout: 2000 })
      .toEqual([
        ['Ada L.', 'Cy'],
        ['Ada L.', 'Bea']
      ])
    expect(changed).toContain('Ada L.')
    const di = await member('Di')
    await di.join('127.0.0.1', ada.address.port)
    await expect.poll(() => names(di), { timeout: 5000 }).toEqual(['Ada L.', 'Bea', 'Cy'])
  })
})
