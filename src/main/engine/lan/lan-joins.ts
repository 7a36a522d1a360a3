import { JoinFailedError } from '../transport/room-link'

/** Who waits on a join(), by the address dialled: each settles once, when the member there verified us, or never will. */
export class LanJoins {
  private readonly waiters = new Map<string, Array<{ resolve(): void; reject(error: Error): void }>>()

  constructor(
    /** The room's connection changed: it is "connecting" while any join is in flight. */
    private readonly connectingChanged: () => void
  ) {}

  get inFlight(): boolean {
    return this.waiters.size > 0
  }

  addresses(): string[] {
    return [...this.waiters.keys()]
  }

  /** A promise for the join at `address` (several callers may wait on the same one). */
  wait(address: string): Promise<void> {
    const first = this.waiters.size === 0
    const outcome = new Promise<void>((resolve, reject) => {
      const waiters = this.waiters.get(address) ?? []
      waiters.push({ resolve, reject })
      this.waiters.set(address, waiters)
    })
    if (first) this.connectingChanged()
    return outcome
  }

  /** We are in through `address` (failure null), or that join failed. */
  settle(address: string, failure: JoinFailedError | null): void {
    const waiters = this.waiters.get(address)
    if (!waiters) return
    this.waiters.delete(address)
    if (this.waiters.size === 0) this.connectingChanged()
    for (const waiter of waiters) {
      if (failure) waiter.reject(failure)
      else waiter.resolve()
    }
  }

  failAll(words: string): void {
    for (const address of this.addresses()) this.settle(address, new JoinFailedError(words))
  }
}
