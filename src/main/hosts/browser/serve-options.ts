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
  /** --name: who we are in the room (else the displayName setting). */
  name?: string
  /** --listen: where the LAN room listens. */
  listen?: { host: string; port: number }
  /** --join, repeatable: LAN rooms to join at start. */
  join: string[]
  /** --global-keys off: no global key hook (several hosts on one display). */
  globalKeys: boolean
}

export const SERVE_USAGE =
  'usage: npm run serve -- --http HOST:PORT [--data-dir DIR] [--backend auto|steam|lan] [--name NAME]\n' +
  '                        [--listen HOST:PORT] [--join HOST:PORT]... [--global-keys on|off]'

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
  let values: {
    http?: string
    'data-dir'?: string
    backend?: string
    name?: string
    listen?: string
    join?: string[]
    'global-keys'?: string
  }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        http: { type: 'string' },
        'data-dir': { type: 'string' },
        backend: { type: 'string' },
        name: { type: 'string' },
        listen: { type: 'string' },
        join: { type: 'string', multiple: true },
        'global-keys': { type: 'string' }
      },
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
  const keys = values['global-keys'] ?? 'on'
  if (keys !== 'on' && keys !== 'off') throw new UsageError(`--global-keys must be on or off, got "${keys}"`)
  const name = values.name?.trim()
  if (values.name !== undefined && (!name || name.length > 32))
    throw new UsageError('--name must be 1 to 32 characters')
  const join = (values.join ?? []).map((target) => {
    const { host: joinHost, port: joinPort } = parseHostPort(target, '--join')
    if (joinPort === 0) throw new UsageError('--join needs a real port, not 0')
    return joinHost.includes(':') ? `[${joinHost}]:${joinPort}` : `${joinHost}:${joinPort}`
  })
  return {
    host,
    port,
    dataDir,
    join,
    globalKeys: keys === 'on',
    ...(backend ? { backend } : {}),
    ...(name ? { name } : {}),
    ...(values.listen ? { listen: parseHostPort(values.listen, '--listen') } : {})
  }
}
