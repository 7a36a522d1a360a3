import type { Friend } from '../../../shared/contract'
import type { Authentication, LanAuthBackend } from '../auth/authentication'
import type { Logger } from '../logging/logger'
import { DISCOVERY_PORT, DiscoveryListener, defaultBeaconTarget, isLanIPv4, machineLanAddress } from './discovery'
import { LanTransport } from './lan-transport'
import { addressKey } from './udp-address'
import { JoinCodeError, type RoomLink } from '../transport/room-link'

export interface LanRoomOptions {
  name: string
  host: string
  port: number
  auth: Authentication<LanAuthBackend>
  logger: Logger
}

/** "host:port", strictly; IPv6 in brackets. */
export function parseJoinAddress(code: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(code.trim())
  const port = match ? Number(match[2]) : NaN
  if (!match || port < 1 || port > 65535) throw new JoinCodeError(`"${code}" is not an address like 192.168.1.20:47810`)
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
}

/** A LAN room: UDP mesh on `host:port`, beacons on private networks, and the rooms others beacon. */
export class LanRoomLink implements RoomLink {
  readonly mode = 'lan'

  private constructor(
    readonly transport: LanTransport,
    private readonly discovery: DiscoveryListener | null,
    private readonly advertised: string | null
  ) {}

  static async open(options: LanRoomOptions): Promise<LanRoomLink> {
    const { logger } = options
    const everywhere = options.host === '0.0.0.0'
    const lan = everywhere ? machineLanAddress() : isLanIPv4(options.host) ? options.host : null
    const beaconTarget = lan ? defaultBeaconTarget(lan) : null
    const open = (port: number) =>
      LanTransport.open({
        name: options.name,
        host: options.host,
        port,
        logger,
        beaconTarget,
        auth: options.auth
      })
    let transport: LanTransport
    try {
      transport = await open(options.port)
    } catch (error) {
      if (options.port === 0) throw error
      // Someone else has the usual port (a second copy of Parley): any port still makes a room.
      logger.warn(`LAN port ${options.port} is taken (${(error as Error).message}); using any free port`)
      transport = await open(0)
    }
    let discovery: DiscoveryListener | null = null
    if (beaconTarget) {
      discovery = await DiscoveryListener.open('0.0.0.0', DISCOVERY_PORT, logger).catch((error: Error) => {
        logger.warn(`cannot listen for LAN rooms: ${error.message}`)
        return null
      })
    }
    const { host, port } = transport.address
    const shown = everywhere ? lan : host
    return new LanRoomLink(transport, discovery, shown ? addressKey(shown, port) : null)
  }

  joinCode(): string | null {
    return this.advertised
  }

  async join(code: string): Promise<void> {
    const { host, port } = parseJoinAddress(code)
    await this.transport.join(host, port)
  }

  cancelJoin(): void {
    this.transport.cancelJoins()
  }

  invite(): boolean {
    return false
  }

  friends(): Friend[] {
    if (!this.discovery) return []
    const inRoom = new Set([...this.transport.members.values()].map((member) => member.address))
    return this.discovery
      .rooms()
      .filter((room) => room.address !== this.advertised && !inRoom.has(room.address))
      .map((room) => ({
        id: room.address,
        name: room.name,
        state: `${room.members} in room`,
        avatar: null,
        joinCode: room.address
      }))
  }

  async close(): Promise<void> {
    await this.transport.close()
    await this.discovery?.close()
  }
}
