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
