import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ: 100 everywhere it runs here). */
const TICK_MS = 10

function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')
      parents.set(Number(name), Number(fields[1]))
    } catch {
      /* gone */
    }
  }
  return parents
}

/** A process and everything it started (Chromium's renderers, GPU and audio service), now. */
export function processTree(root: number): number[] {
  const parents = parentsByPid()
  const tree = [root]
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid)
  }
  return tree
}

/** What a process is, for a breakdown: Chromium's process types by name, anything else by its program. */
export function processKind(pid: number): string {
  try {
    // Chromium rewrites its command line into one string, spaces and all.
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    const service = /--utility-sub-type=(\S+)/.exec(line)?.[1]
    if (service) return service.replace(/\.mojom\..*$/, '')
    const type = /--type=(\S+)/.exec(line)?.[1]
    if (type) return type
    const program = line.split(' ')[0]!.split('/').pop()!
    return /^chrom/.test(program) ? 'browser' : program
  } catch {
    return 'gone'
  }
}

/** CPU some processes have used so far (ms), from /proc; a process that is gone counts 0. */
export function cpuMs(pids: Iterable<number>): number {
  let total = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS
    } catch {
      /* gone */
    }
  }
  return total
}

/**
 * Opens a window on some clients (a client is named by its root processes: its host and its
 * browser; every process they started is counted, as found when the window opens); close() gives
 * each client's share of one core over the window, in percent.
 */
export function cpuWindow(groups: Record<string, number[]>): {
  close(): Record<string, number>
  /** Each client's share by kind of process (host, renderer, gpu-process, audio, …). */
  breakdown(): Record<string, Record<string, number>>
} {
  const trees = Object.entries(groups).map(([name, roots]) => [name, roots.flatMap(processTree)] as const)
  const before = new Map<number, number>()
  for (const [, pids] of trees) for (const pid of pids) before.set(pid, cpuMs([pid]))
  const started = performance.now()
  let wall = 0
  const after = new Map<number, number>()
  const percent = (ms: number) => Math.round((ms / wall) * 1000) / 10
  return {
    close() {
      wall = performance.now() - started
      // A process that ended inside the window counts what it used before (its last ticks are lost).
      for (const [pid, ms] of before) after.set(pid, Math.max(ms, cpuMs([pid])))
      return Object.fromEntries(
        trees.map(([name, pids]) => [
          name,
          percent(pids.reduce((sum, pid) => sum + after.get(pid)! - before.get(pid)!, 0))
        ])
      )
    },
    breakdown() {
      return Object.fromEntries(
        trees.map(([name, pids]) => {
          const kinds: Record<string, number> = {}
          for (const pid of pids) {
            const kind = processKind(pid)
            kinds[kind] = (kinds[kind] ?? 0) + after.get(pid)! - before.get(pid)!
          }
          return [name, Object.fromEntries(Object.entries(kinds).map(([kind, ms]) => [kind, percent(ms)]))]
        })
      )
    }
  }
}

/** cpuWindow over the next `ms`: each client's share, and its breakdown. */
export async function cpuPercentOver(
  groups: Record<string, number[]>,
  ms: number
): Promise<{ total: Record<string, number>; byProcess: Record<string, Record<string, number>> }> {
  const window = cpuWindow(groups)
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { total: window.close(), byProcess: window.breakdown() }
}
