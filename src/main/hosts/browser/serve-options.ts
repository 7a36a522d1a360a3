import os from 'node:os'
import path from 'node:path'
import { parseCommandLine, parseHostPort, UsageError } from '../cli/command-line'

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
  /** --microphone page: the page always captures the microphone; app: this process may (LAN mode). */
  appMicrophone: boolean
}

export const SERVE_COMMAND = {
  name: 'parley serve',
  usage: [
    'usage: npm run serve -- [--http HOST:PORT] [--data-dir DIR] [--backend auto|steam|lan] [--name NAME]',
    '                        [--listen HOST:PORT] [--join HOST:PORT]... [--global-keys on|off]',
    '                        [--microphone app|page]',
    '',
    'Runs Parley in plain Node and serves its window to any browser at --http.',
    '  --http HOST:PORT       where the page is served (default 127.0.0.1:5190; port 0 picks one)',
    '  --data-dir DIR         settings and identity (default $XDG_CONFIG_HOME/parley)',
    '  --backend MODE         auto (Steam when it runs, else LAN), steam, or lan',
    '  --name NAME            your name in the room (default: the displayName setting)',
    '  --listen HOST:PORT     where the LAN room listens (default: every interface, the lanPort setting)',
    '  --join HOST:PORT       a LAN room to join at start (repeatable)',
    '  --global-keys on|off   the push-to-talk key works while other apps have focus (default on)',
    '  --microphone app|page  who records the microphone in LAN mode: this process, when the settings',
    '                         allow (default), or always the page',
    '  --help                 this text'
  ].join('\n'),
  options: {
    http: { type: 'string' },
    'data-dir': { type: 'string' },
    backend: { type: 'string' },
    name: { type: 'string' },
    listen: { type: 'string' },
    join: { type: 'string', multiple: true },
    'global-keys': { type: 'string' },
    microphone: { type: 'string' }
  }
} as const

/** The XDG config directory, as Node hosts' default home for Parley's files. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(base, 'parley')
}

/** The options, or null when --help was asked for. Throws UsageError for anything wrong. */
export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | null {
  const { values, help } = parseCommandLine(SERVE_COMMAND, argv)
  if (help) return null
  const { host, port } = parseHostPort(values.http ?? '127.0.0.1:5190')
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir(env)
  const backend = values.backend
  if (backend !== undefined && backend !== 'auto' && backend !== 'steam' && backend !== 'lan') {
    throw new UsageError(`--backend must be auto, steam or lan, got "${backend}"`)
  }
  const keys = values['global-keys'] ?? 'on'
  if (keys !== 'on' && keys !== 'off') throw new UsageError(`--global-keys must be on or off, got "${keys}"`)
  const microphone = values.microphone ?? 'app'
  if (microphone !== 'app' && microphone !== 'page')
    throw new UsageError(`--microphone must be app or page, got "${microphone}"`)
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
    appMicrophone: microphone === 'app',
    ...(backend ? { backend } : {}),
    ...(name ? { name } : {}),
    ...(values.listen ? { listen: parseHostPort(values.listen, '--listen') } : {})
  }
}
