import { describe, expect, it } from 'vitest'
import { decodeControl, encodeControl, type RosterEntry } from '../../../../src/main/engine/transport/control-messages'
import { rosterPages } from '../../../../src/main/engine/lan/lan-roster'
import { SEAL_OVERHEAD } from '../../../../src/main/engine/auth/session-crypto'
import { MAX_PAYLOAD_BYTES } from '../../../../src/main/engine/transport/wire-protocol'

describe('the roster', () => {
  it('goes out in as many datagrams as it needs, each within one sealed datagram, nobody left out', () => {
    // The longest entries there can be: a 20-digit id, 32 wide characters, a long IPv6 address.
    const entries: RosterEntry[] = Array.from({ length: 63 }, (_, i) => ({
      id: (18446744073709551615n - BigInt(i)).toString(),
      name: '名'.repeat(32),
      host: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.${i}`,
      port: 65535
    }))
    const pages = rosterPages(entries)
    expect(pages.length).toBeGreaterThan(3) // 14 to 16 members did not fit one, once
    const back: RosterEntry[] = []
    for (const page of pages) {
      const bytes = encodeControl(page)
      expect(bytes.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES - SEAL_OVERHEAD)
      const decoded = decodeControl(bytes, 0, bytes.length)
      expect(decoded?.kind).toBe('roster')
      back.push(...(decoded as { members: RosterEntry[] }).members)
    }
    expect(back).toEqual(entries)
  })

  it('short entries fill pages of 16', () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({
      id: `${i + 1}`,
      name: 'A',
      host: '10.0.0.1',
      port: 1000 + i
    }))
    expect(rosterPages(entries).map((page) => (page as { members: unknown[] }).members.length)).toEqual([16, 16, 8])
  })
})
