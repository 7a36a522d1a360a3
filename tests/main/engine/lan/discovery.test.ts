import { openLanTransport } from '../../../support/lan-members'

import { createSocket } from 'node:dgram'

import { describe, expect, it } from 'vitest'

import { DatagramWriter, WIRE_CONTROL } from '../../../../src/main/engine/transport/wire-protocol'

import { silentLogger } from '../../../../src/main/engine/logging/logger'

import {
  broadcastAddress,
  defaultBeaconTarget,
  DiscoveryListener,
  isLanIPv4,
  machineLanAddress
} from '../../../../src/main/engine/lan/discovery'

describe('LAN discovery', () => {
  it('beacons on any LAN, not only RFC 1918 ones: to its network’s broadcast address', () => {
    const interfaces = [
      { address: '127.0.0.1', netmask: '255.0.0.0', internal: true },
      { address: '192.168.1.20', netmask: '255.255.255.0', internal: false },
      { address: '130.83.47.12', netmask: '255.255.252.0', internal: false }, // a university's own range
      { address: '100.72.3.4', netmask: '255.192.0.0', internal: false }, // a VPN's 100.64/10
      { address: '10.1.2.3', netmask: '255.0.0.0', internal: false }
    ]
    expect(defaultBeaconTarget('192.168.1.20', interfaces)).toEqual({ host: '192.168.1.255', port: 47800 })
    expect(defaultBeaconTarget('130.83.47.12', interfaces)).toEqual({ host: '130.83.47.255', port: 47800 })
    expect(defaultBeaconTarget('100.72.3.4', interfaces)).toEqual({ host: '100.127.255.255', port: 47800 })
    expect(defaultBeaconTarget('10.1.2.3', interfaces)).toEqual({ host: '10.255.255.255', port: 47800 })
    // Loopback, all-interfaces, IPv6, multicast, and an address this machine does not have: nowhere.
    for (const host of ['127.0.0.1', '0.0.0.0', '::1', '239.1.2.3', '8.8.8.8']) {
      expect(defaultBeaconTarget(host, interfaces)).toBeNull()
    }
    expect(machineLanAddress(interfaces)).toBe('192.168.1.20')
    expect(machineLanAddress(interfaces.slice(2))).toBe('130.83.47.12')
    expect(machineLanAddress(interfaces.slice(0, 1))).toBeNull()
  })

  it('knows a LAN address from the others', () => {
    for (const host of ['10.1.2.3', '100.64.0.1', '130.83.1.2', '192.168.1.20', '169.254.3.4'])
      expect(isLanIPv4(host)).toBe(true)
    for (const host of ['127.0.0.1', '0.0.0.0', '224.0.0.251', '255.255.255.255', '::1', 'example.com'])
      expect(isLanIPv4(host)).toBe(false)
    expect(broadcastAddress('172.20.5.6', '255.255.240.0')).toBe('172.20.15.255')
  })

  it('a room’s beacons show up in the listener with the address to dial (on loopback)', async () => {
    const listener = await DiscoveryListener.open('127.0.0.1', 0, silentLogger)
    const room = await openLanTransport('Friday squad', { beaconTarget: { host: '127.0.0.1', port: listener.port } })
    try {
      for (let i = 0; i < 150 && listener.rooms().length === 0; i++) await new Promise((r) => setTimeout(r, 20))
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
      for (let i = 0; i < 300 && listener.malformed + listener.refused + listener.rooms().length < 72; i++)
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
