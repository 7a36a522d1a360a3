import { joinSteamId, splitSteamId } from '../../../shared/steam-id'
import type { Scheduler } from '../time/scheduler'
import { decodeControl } from '../transport/control-messages'
import { heardPong } from '../transport/keepalive'
import type { MemberAuthenticator } from '../transport/member-auth'
import { voiceIsFrom, type TransportHandlers, type TransportStats } from '../transport/room-transport'
import { parseDatagram, wallClock, WIRE_VOICE, WireView } from '../transport/wire-protocol'
import type { SteamMember } from './steam-member'
import type { SteamP2P } from './steam-p2p'
import { SEND_UNRELIABLE_NO_DELAY } from './steamworks-api'

/** What the receive path needs of the lobby transport. */
export interface SteamReceiverRoom {
  readonly localId: bigint
  readonly stats: TransportStats
  readonly scheduler: Scheduler
  readonly members: ReadonlyMap<bigint, SteamMember>
  readonly authenticator: MemberAuthenticator | null
  readonly p2p: SteamP2P
  readonly events: { handlers: TransportHandlers }
  /** Heard from a member who was silent. */
  heardAgain(member: SteamMember): void
}

/** Every P2P datagram Steam hands us: accepted and routed, or dropped and counted. */
export class SteamReceiver {
  private readonly view = new WireView()
  private readonly localLow: number
  private readonly localHigh: number

  constructor(private readonly room: SteamReceiverRoom) {
    const { low, high } = splitSteamId(room.localId)
    this.localLow = low
    this.localHigh = high
  }

  readonly receive = (bytes: Buffer, length: number, from: bigint): void => {
    const { view, room } = this
    const { stats, authenticator } = room
    if (!parseDatagram(bytes, length, view)) {
      stats.dropped.malformed++
      return
    }
    // Steam authenticated the P2P sender; the header must name the same account, and it must be in the lobby.
    const claimed = joinSteamId(view.senderLow, view.senderHigh)
    const member = room.members.get(from)
    if (claimed !== from || !member || (view.senderLow === this.localLow && view.senderHigh === this.localHigh)) {
      stats.dropped.unauthenticated++
      return
    }
    member.lastSeen = room.scheduler.now()
    if (member.connection !== 'connected') room.heardAgain(member)
    if (view.type === WIRE_VOICE) {
      const verified = !authenticator || member.auth === 'verified'
      if (!verified || !voiceIsFrom(bytes, view.payloadOffset, view.payloadLength, view.senderLow, view.senderHigh)) {
        stats.dropped.unauthenticated++
        return
      }
      stats.received++
      room.events.handlers.voice?.(member, view.sequence, bytes, view.payloadOffset, view.payloadLength, view.timestamp)
      return
    }
    const control = decodeControl(bytes, view.payloadOffset, view.payloadLength)
    if (!control) {
      stats.dropped.malformed++
      return
    }
    stats.received++
    if (control.kind === 'hello') member.name = control.name
    else if (control.kind === 'ping')
      room.p2p.control(from, { kind: 'pong', nonce: control.nonce, at: wallClock() }, SEND_UNRELIABLE_NO_DELAY)
    else if (control.kind === 'pong') heardPong(member, control.nonce, control.at, wallClock())
    else if (control.kind === 'auth' && control.part)
      authenticator?.acceptTicketPart(member, control.ticket, control.part)
    else if (control.kind === 'auth') authenticator?.acceptTicket(member, control.ticket)
    else if (control.kind === 'auth-ok') authenticator?.acknowledged(member)
  }
}
