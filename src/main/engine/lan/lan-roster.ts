import type { ControlMessageInput, RosterEntry } from '../transport/control-messages'
import { encodeControl } from '../transport/control-messages'
import type { LanPeer } from './lan-peer'
import { SEAL_OVERHEAD } from '../auth/session-crypto'
import { MAX_PAYLOAD_BYTES } from '../transport/wire-protocol'

/** The most members a LAN room holds (beyond it, newcomers are refused). */
export const MAX_ROOM_MEMBERS = 64

/**
 * The verified members, by id and by the low half of their id (a datagram finds its sender
 * without making a BigInt), and the roster they are told about each other in.
 */
export class LanRoster {
  private readonly byId = new Map<bigint, LanPeer>()
  private readonly byLow = new Map<number, LanPeer[]>()

  get size(): number {
    return this.byId.size
  }

  get members(): ReadonlyMap<bigint, LanPeer> {
    return this.byId
  }

  get(id: bigint): LanPeer | undefined {
    return this.byId.get(id)
  }

  values(): IterableIterator<LanPeer> {
    return this.byId.values()
  }

  find(low: number, high: number): LanPeer | undefined {
    const candidates = this.byLow.get(low)
    if (!candidates) return undefined
    for (let i = 0; i < candidates.length; i++) if (candidates[i]!.idHigh === high) return candidates[i]
    return undefined
  }

  add(peer: LanPeer): void {
    this.byId.set(peer.id, peer)
    const sameLow = this.byLow.get(peer.idLow)
    if (sameLow) sameLow.push(peer)
    else this.byLow.set(peer.idLow, [peer])
  }

  remove(peer: LanPeer): void {
    if (this.byId.get(peer.id) !== peer) return
    this.byId.delete(peer.id)
    const sameLow = this.byLow.get(peer.idLow)!.filter((other) => other !== peer)
    if (sameLow.length) this.byLow.set(peer.idLow, sameLow)
    else this.byLow.delete(peer.idLow)
  }

  /** Everyone but `except`, as roster messages that each fit one sealed datagram. */
  pages(except: LanPeer | null): ControlMessageInput[] {
    const entries: RosterEntry[] = []
    for (const peer of this.byId.values()) {
      if (peer !== except) entries.push({ id: peer.id.toString(), name: peer.name, host: peer.host, port: peer.port })
    }
    return rosterPages(entries)
  }
}

/** Splits a roster into messages of at most 16 entries that each fit one sealed datagram. */
export function rosterPages(entries: RosterEntry[]): ControlMessageInput[] {
  const limit = MAX_PAYLOAD_BYTES - SEAL_OVERHEAD
  const empty = encodeControl({ kind: 'roster', members: [] }).length
  const pages: ControlMessageInput[] = []
  let page: RosterEntry[] = []
  let size = empty
  for (const entry of entries) {
    // Each entry costs its own JSON and a comma: sizes add up without encoding the page again.
    const cost = Buffer.byteLength(JSON.stringify(entry)) + 1
    if (page.length && (page.length === 16 || size + cost > limit)) {
      pages.push({ kind: 'roster', members: page })
      page = []
      size = empty
    }
    page.push(entry)
    size += cost
  }
  if (page.length) pages.push({ kind: 'roster', members: page })
  return pages
}
