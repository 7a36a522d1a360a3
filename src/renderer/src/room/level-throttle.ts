/** React sees level meters at most this often (about 30 a second). */
export const LEVEL_FLUSH_MS = 33

/**
 * Collects level updates and hands them on at most once per `intervalMs`, latest value per
 * speaker: meters move smoothly and React renders at a bounded rate however fast levels come.
 * A level that shows as what was last handed on (same `shown` step) is not handed on again: a
 * steady or silent meter costs no render.
 */
export function createLevelThrottle(
  flush: (levels: Record<string, number>) => void,
  intervalMs = LEVEL_FLUSH_MS,
  clock: () => number = () => performance.now(),
  shown: (level: number) => number = (level) => level
) {
  let pending: Record<string, number> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let lastFlush = -Infinity
  const handedOn = new Map<string, number>()
  const run = (): void => {
    timer = null
    if (!pending) return
    const levels = pending
    pending = null
    lastFlush = clock()
    for (const id in levels) handedOn.set(id, shown(levels[id]!))
    flush(levels)
  }
  return {
    push(id: string, levelDbfs: number): void {
      if (!(pending && id in pending) && handedOn.get(id) === shown(levelDbfs)) return
      pending ??= {}
      pending[id] = levelDbfs
      if (timer !== null) return
      timer = setTimeout(run, Math.max(0, lastFlush + intervalMs - clock()))
    },
    cancel(): void {
      if (timer !== null) clearTimeout(timer)
      timer = null
      pending = null
    }
  }
}
