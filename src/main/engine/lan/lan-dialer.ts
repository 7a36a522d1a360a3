/** An address is tried again after 0.5 s, then 1 s, then every 2 s, for 10 s in all... */
const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 2000
export const DIAL_GIVE_UP_MS = 10_000
/** ...and a member gone silent, from 1 s to every 10 s, until they are lost (the caller removes it then). */
const RECONNECT_FIRST_RETRY_MS = 1000
const RECONNECT_MAX_RETRY_MS = 10_000
/** Addresses being dialled at once, at most (a roster cannot make us dial the world). */
const MAX_DIALS = 128

export interface DialTarget {
  host: string
  port: number
  address: string
  attempts: number
  nextAt: number
  /** When the first try went (ms), or null before it. */
  firstTriedAt: number | null
  /** Joining the room through them (the address typed in), not meeting a member we were told of. */
  introduce: boolean
  /** Reaching a member gone silent: a slower backoff, and no giving up of its own. */
  reconnect: boolean
}

/** The addresses we are trying to join: the one typed in, and those the members tell us of. */
export class LanDialer {
  private readonly targets = new Map<string, DialTarget>()

  has(address: string): boolean {
    return this.targets.has(address)
  }

  get size(): number {
    return this.targets.size
  }

  /** False when it was already being dialled, or too many are. The first try is at `firstAt` (ms). */
  add(host: string, port: number, address: string, firstAt = 0, introduce = false, reconnect = false): boolean {
    const existing = this.targets.get(address)
    if (existing) {
      existing.introduce ||= introduce
      return false
    }
    if (this.targets.size >= MAX_DIALS) return false
    this.targets.set(address, {
      host,
      port,
      address,
      attempts: 0,
      nextAt: firstAt,
      firstTriedAt: null,
      introduce,
      reconnect
    })
    return true
  }

  get(address: string): DialTarget | undefined {
    return this.targets.get(address)
  }

  remove(address: string): void {
    this.targets.delete(address)
  }

  /** The targets due a try at `now` (each counted as one); those out of tries go to `gaveUp`. */
  due(now: number, gaveUp: (target: DialTarget) => void): DialTarget[] {
    const due: DialTarget[] = []
    for (const [address, target] of this.targets) {
      if (now < target.nextAt) continue
      target.firstTriedAt ??= now
      if (!target.reconnect && now - target.firstTriedAt >= DIAL_GIVE_UP_MS) {
        this.targets.delete(address)
        gaveUp(target)
        continue
      }
      target.nextAt = target.reconnect
        ? now + Math.min(RECONNECT_MAX_RETRY_MS, RECONNECT_FIRST_RETRY_MS * 2 ** target.attempts)
        : // The last wait ends when the 10 s do, so giving up is on time.
          Math.min(
            now + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** target.attempts),
            target.firstTriedAt + DIAL_GIVE_UP_MS
          )
      target.attempts++
      due.push(target)
    }
    return due
  }

  nextAt(): number {
    let next = Infinity
    for (const target of this.targets.values()) next = Math.min(next, target.nextAt)
    return next
  }
}
