import type { Friend } from '../../../shared/contract'
import type { RoomTransport } from './room-transport'

/** What differs between a LAN room and a Steam lobby, behind one face for the room service. */
export interface RoomLink {
  readonly mode: 'lan' | 'steam'
  readonly transport: RoomTransport
  /** What someone else gives room:join to reach us: "host:port", or the lobby id. */
  joinCode(): string | null
  /**
   * Resolves once we are in (LAN: the member at that address has verified us and we them).
   * Throws JoinCodeError for a code that cannot be one, JoinFailedError when nobody answers in
   * time or the join was cancelled.
   */
  join(code: string): Promise<void>
  /** Stops a join in progress (it then fails with "cancelled"). */
  cancelJoin(): void
  /** Opens Steam's invite dialog for the room; false where there is none (LAN: the join code is the invite). */
  invite(): boolean
  friends(): Friend[]
  close(): Promise<void>
}

export class JoinCodeError extends Error {
  override name = 'JoinCodeError'
}

/** A join that did not happen (nobody answered, or it was cancelled), in a sentence for the player. */
export class JoinFailedError extends Error {
  override name = 'JoinFailedError'
}
