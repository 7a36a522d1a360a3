import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from './temp-dir'

export interface PeerProcess {
  child: ChildProcess
  port: Promise<number>
  exited: Promise<{ code: number | null; stderr: string }>
}

/** `npm run peer` with these arguments, as a child process: its port once it listens, its exit. */
export function peerProcess(...args: string[]): PeerProcess {
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/main/hosts/cli/peer-cli.ts', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk
      const match = /listening on [\d.]+:(\d+)/.exec(stdout)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', () => reject(new Error(`peer exited before listening: ${stderr}`)))
  })
  port.catch(() => {})
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr }))
  )
  return { child, port, exited }
}

export interface PeerOptions {
  name: string
  /** Default: any free port on loopback. */
  listen?: string
  /** The port of a peer on loopback to join. */
  join?: number
  mic?: string
  /** --talk: "always", or "FROM-TO" in seconds. */
  talk?: string
  duration?: number
  record?: string
  stats?: string
  sampleRate?: number
  outputBufferMs?: number
}

/** `npm run peer` with these options. */
export function startPeer(options: PeerOptions): PeerProcess {
  const args = ['--name', options.name, '--listen', options.listen ?? '127.0.0.1:0']
  const add = (flag: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(flag, String(value))
  }
  add('--join', options.join === undefined ? undefined : `127.0.0.1:${options.join}`)
  add('--sample-rate', options.sampleRate)
  add('--mic', options.mic)
  add('--talk', options.talk)
  add('--duration', options.duration)
  add('--record', options.record)
  add('--stats', options.stats)
  add('--output-buffer', options.outputBufferMs)
  return peerProcess(...args)
}

export interface Call {
  /** A, talking into B's room from its microphone file. */
  a: PeerProcess
  /** B, recording what it hears. */
  b: PeerProcess
  bPort: number
  /** Where B records (`LABEL-b.wav`) and B and A write their stats (`LABEL-b.json`, `LABEL-a.json`). */
  files: { bRecording: string; bStats: string; aStats: string }
  /** Waits for A to end by itself, then stops B; both must exit cleanly. */
  finish(): Promise<{ a: { code: number | null; stderr: string }; b: { code: number | null; stderr: string } }>
}

/**
 * The two-process call the real-time tests listen to: B records at 22,050 Hz (with a roomier
 * 16 ms output buffer: three processes share two cores here, the test's own too), and A joins
 * B and talks from `mic` for `duration` seconds.
 */
export async function startCall(
  dir: string,
  label: string,
  talker: { mic: string; talk: string; duration: number }
): Promise<Call> {
  const files = {
    bRecording: path.join(dir, `${label}-b.wav`),
    bStats: path.join(dir, `${label}-b.json`),
    aStats: path.join(dir, `${label}-a.json`)
  }
  const b = startPeer({
    name: 'B',
    sampleRate: 22050,
    record: files.bRecording,
    stats: files.bStats,
    outputBufferMs: 16
  })
  const bPort = await b.port
  const a = startPeer({ name: 'A', join: bPort, stats: files.aStats, ...talker })
  return {
    a,
    b,
    bPort,
    files,
    async finish() {
      const aExit = await a.exited
      b.child.kill('SIGTERM')
      return { a: aExit, b: await b.exited }
    }
  }
}
