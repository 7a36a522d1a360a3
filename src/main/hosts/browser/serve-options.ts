import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

export interface ServeOptions {
  /** --backend: Steam, LAN, or auto (the setting decides when absent). */
  backend?: 'auto' | 'steam' | 'lan'
  host: string
  /** 0 picks a free port; the host prints the one it got. */
  port: number
  dataDir: string
}

export const SERVE_USAGE = 'usage: npm run serve -- --http HOST:PORT [--data-dir DIR] [--backend auto|steam|lan]'

export class UsageError extends Error {
  override name = 'UsageError'
}

/** The XDG config directory, as Node hosts' default home for Parley's files. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(base, 'parley')
}

export function parseHostPort(value: string, flag = '--http'): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value)
  if (!match) throw new UsageError(`${flag} wants HOST:PORT, got "${value}"`)
  const port = Number(match[2])
  if (port > 65535) throw new UsageError(`${flag} port must be 0 to 65535, got ${port}`)
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
}

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  let values: { http?: string; 'data-dir'?: string; backend?: string }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { http: { type: 'string' }, 'data-dir': { type: 'string' }, backend: { type: 'string' } },
      strict: true,
      allowPositionals: false
    }))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { host, port } = parseHostPort(values.http ?? '127.0.0.1:5190')
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir(env)
  const backend = values.backend
  if (backend !== undefined && backend !== 'auto' && backend !== 'steam' && backend !== 'lan') {
    throw new UsageError(`--backend must be auto, steam or lan, got "${backend}"`)
  }
  return backend ? { host, port, dataDir, backend } : { host, port, dataDir }
}
