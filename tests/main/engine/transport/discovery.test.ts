import { createSocket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { DatagramWriter, WIRE_CONTROL } from '../../../../src/main/engine/transport/wire-protocol'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { defaultBeaconTarget, DiscoveryListener, isPrivateIPv4 } from '../../../../src/main/engine/transport/discovery'
import { LanTransport } from '../../../../src/main/engine/transport/lan-transport'
import { Authentication, LanAuthBackend } from '../../../../src/main/engine/auth/authentication'
import { generateIdentity } from '../../../../src/main/engine/auth/lan-identity'

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
      auth: new Authentication(new LanAuthBackend(generateIdentity())),
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

  it('counts what is not a beacon (a welcome with id "1x" among it) and remembers at most 64 rooms', async () => {
    const listener = await DiscoveryListener.open('127.0.0.1', 0, silentLogger)
    const writer = new DatagramWriter(1, 0)
    const datagram = (json: string) => {
      const payload = new TextEncoder().encode(json)
      const out = Buffer.alloc(1200)
      return out.subarray(
        0,
        writer.write(out, WIRE_CONTROL, writer.next(WIRE_CONTROL), Date.now(), payload, payload.length)
      )
    }
    const sockets = await Promise.all(
      Array.from({ length: 70 }, async () => {
        const socket = createSocket('udp4')
        await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
        return socket
      })
    )
    try {
      sockets[0]!.send(
        datagram('{"kind":"welcome","name":"A","members":[{"id":"1x","name":"x","address":"1.2.3.4:5"}]}'),
        listener.port,
        '127.0.0.1'
      )
      sockets[0]!.send(Buffer.from('garbage'), listener.port, '127.0.0.1')
      for (const socket of sockets)
        socket.send(datagram('{"kind":"beacon","name":"Room","members":2}'), listener.port, '127.0.0.1')
      for (let i = 0; i < 100 && listener.malformed + listener.refused + listener.rooms().length < 72; i++)
        await new Promise((r) => setTimeout(r, 10))
      expect(listener.malformed).toBe(2)
      expect(listener.rooms()).toHaveLength(64)
      expect(listener.refused).toBe(6)
    } finally {
      for (const socket of sockets) socket.close()
      await listener.close()
    }
  })
})
