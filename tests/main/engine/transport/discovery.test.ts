import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { defaultBeaconTarget, DiscoveryListener, isPrivateIPv4 } from '../../../../src/main/engine/transport/discovery'
import { LanTransport } from '../../../../src/main/engine/transport/lan-transport'

describe('LAN discovery', () => {
  it('beacons by default only from private networks', () => {
    for (const host of ['10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.20']) {
      expect(isPrivateIPv4(host)).toBe(true)
      expect(defaultBeaconTarget(host)).toEqual({ host: '255.255.255.255', port: 47800 })
    }
    for (const host of ['127.0.0.1', '0.0.0.0', '8.8.8.8', '172.32.0.1', '::1', '192.169.0.1']) {
      expect(defaultBeaconTarget(host)).toBeNull()
    }
  })

  it('a room’s beacons show up in the listener with the address to dial (on loopback)', async () => {
    const listener = await DiscoveryListener.open('127.0.0.1', 0, silentLogger)
    const room = await LanTransport.open({
      localId: 76561198000000077n,
      name: 'Friday squad',
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      beaconTarget: { host: '127.0.0.1', port: listener.port }
    })
    try {
      for (let i = 0; i < 50 && listener.rooms().length === 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(listener.rooms()).toEqual([
        { address: `127.0.0.1:${room.address.port}`, name: 'Friday squad', members: 1, lastSeen: expect.any(Number) }
      ])
      expect(listener.rooms(Date.now() + 7000)).toEqual([]) // a room that stops beaconing disappears
    } finally {
      await room.close()
      await listener.close()
    }
  })
})
