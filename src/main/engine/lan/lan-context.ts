import type { Logger } from '../logging/logger'
import type { TransportHandlers, TransportStats } from '../transport/room-transport'
import type { Scheduler } from '../time/scheduler'
import type { LanSender } from './lan-sender'

/** What every part of a LAN room shares: who we are, the clock, the counters, the way out. */
export interface LanContext {
  readonly localId: bigint
  /** The id as text (rosters carry it so) and in halves (datagram headers carry it so). */
  readonly localIdText: string
  readonly localLow: number
  readonly localHigh: number
  /** Ours, as others see it: it changes live (setName). */
  name: string
  closed: boolean
  readonly stats: TransportStats
  readonly scheduler: Scheduler
  readonly logger: Logger
  readonly send: LanSender
  /** The room service's handlers, as set now. */
  readonly events: { handlers: TransportHandlers }
  /** Runs the upkeep (retries, keepalives, expiry) at `at` or sooner. */
  wakeAt(at: number): void
  /** Something now waits on the keepalive round (a retransmission, an expiry): runs the upkeep by then. */
  wakeForKeepalive(): void
}
