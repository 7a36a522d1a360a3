import { createSocket, type Socket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import os from 'node:os'
import type { Logger } from '../logging/logger'
import { decodeControl } from '../transport/control-messages'
import { addressKey } from './udp-address'
import { parseDatagram, WIRE_CONTROL, WireView } from '../transport/wire-protocol'

/** Where LAN rooms announce themselves. */
export const DISCOVERY_PORT = 47800
const ROOM_EXPIRY_MS = 6000
/** Rooms remembered at once: a stranger beaconing from many ports cannot grow the list without end. */
const MAX_ROOMS = 64

/**
 * True for an IPv4 address a LAN can have: any unicast address but loopback and 0/8. Not only
 * RFC 1918: a school's or a company's public range, a VPN's 100.64/10 are LANs too.
 */
export function isLanIPv4(host: string): boolean {
  if (!isIPv4(host)) return false
  const [a] = host.split('.').map(Number) as [number]
  return a !== 0 && a !== 127 && a < 224
}

const toInt = (address: string) => address.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0)
const toAddress = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.')

/** The directed broadcast address of a network (192.168.1.20/255.255.255.0 → 192.168.1.255). */
export function broadcastAddress(address: string, netmask: string): string {
  return toAddress((toInt(address) | ~toInt(netmask)) >>> 0)
}

/** An interface's IPv4 address and netmask, as os.networkInterfaces() reports them. */
export interface Ipv4Interface {
  address: string
  netmask: string
  internal: boolean
}

/**
 * Where a room listening on `host` beacons: its network's broadcast address, when `host` is an
 * address of one of this machine's LAN interfaces; nowhere for loopback, all-interfaces (the
 * caller picks an interface first), or an address no interface has.
 */
export function defaultBeaconTarget(
  host: string,
  interfaces: Ipv4Interface[] = machineIPv4Interfaces()
): { host: string; port: number } | null {
  if (!isLanIPv4(host)) return null
  const own = interfaces.find((candidate) => candidate.address === host && !candidate.internal)
  return own ? { host: broadcastAddress(own.address, own.netmask), port: DISCOVERY_PORT } : null
}

/** This machine's IPv4 interfaces. */
export function machineIPv4Interfaces(): Ipv4Interface[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4')
    .map((entry) => ({ address: entry!.address, netmask: entry!.netmask, internal: entry!.internal }))
}

/** The first LAN address of this machine: what others on the LAN dial. */
export function machineLanAddress(interfaces: Ipv4Interface[] = machineIPv4Interfaces()): string | null {
  return interfaces.find((entry) => !entry.internal && isLanIPv4(entry.address))?.address ?? null
}

export interface DiscoveredRoom {
  /** Dial this to join. */
  address: string
  name: string
  members: number
  lastSeen: number
}

/** Collects room beacons on the discovery port: the rooms a person can join on this network. */
export class DiscoveryListener {
  private readonly found = new Map<string, DiscoveredRoom>()
  private readonly view = new WireView()
  /** Datagrams that were not a beacon; beacons of new rooms beyond MAX_ROOMS. */
  malformed = 0
  refused = 0

  private constructor(private readonly socket: Socket) {
    socket.on('message', (message, remote) => {
      // Parsing cannot throw (parseDatagram and decodeControl are total); nothing else here can.
      if (!parseDatagram(message, message.length, this.view) || this.view.type !== WIRE_CONTROL) {
        this.malformed++
        return
      }
      const beacon = decodeControl(message, this.view.payloadOffset, this.view.payloadLength)
      if (beacon?.kind !== 'beacon') {
        this.malformed++
        return
      }
      const address = addressKey(remote.address, remote.port)
      if (!this.found.has(address) && this.rooms().length >= MAX_ROOMS) {
        this.refused++
        return
      }
      this.found.set(address, { address, name: beacon.name, members: beacon.members, lastSeen: Date.now() })
    })
  }

  static async open(host: string, port: number, logger: Logger): Promise<DiscoveryListener> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true })
    socket.on('error', (error) => logger.warn(`discovery socket: ${error.message}`))
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => resolve())
    })
    return new DiscoveryListener(socket)
  }

  get port(): number {
    return this.socket.address().port
  }

  rooms(now = Date.now()): DiscoveredRoom[] {
    for (const [key, room] of this.found) if (now - room.lastSeen > ROOM_EXPIRY_MS) this.found.delete(key)
    return [...this.found.values()]
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }
}
