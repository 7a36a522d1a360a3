import { createSocket, type Socket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import type { Logger } from '../logging/logger'
import { decodeControl } from './control-messages'
import { addressKey } from './udp-address'
import { parseDatagram, WIRE_CONTROL, WireView } from './wire-protocol'

/** Where LAN rooms announce themselves. */
export const DISCOVERY_PORT = 47800
const ROOM_EXPIRY_MS = 6000
/** Rooms remembered at once: a stranger beaconing from many ports cannot grow the list without end. */
const MAX_ROOMS = 64

/** True for 10/8, 172.16/12 and 192.168/16: the networks beacons go out on by default. */
export function isPrivateIPv4(host: string): boolean {
  if (!isIPv4(host)) return false
  const [a, b] = host.split('.').map(Number) as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

/**
 * Where a room listening on `host` beacons by default: the local broadcast address when it
 * listens on a private network, nowhere otherwise (loopback, public addresses, all-interfaces).
 */
export function defaultBeaconTarget(host: string): { host: string; port: number } | null {
  return isPrivateIPv4(host) ? { host: '255.255.255.255', port: DISCOVERY_PORT } : null
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
