import path from 'node:path'
import type { BackendChoice } from '../../engine/steam/voice-backend'

/**
 * The desktop app's own command-line flags. `npm start` checks them strictly before it opens
 * anything; the shell reads them again from Electron's argv, where Chromium's own switches
 * may sit beside them, so there unknown flags are left alone.
 */
export const APP_COMMAND = {
  name: 'parley',
  usage: [
    'usage: npm start -- [--data-dir DIR] [--backend auto|steam|lan]',
    '',
    'Builds Parley and opens the desktop app (Electron). The first start downloads Electron’s',
    'binary (about 100 MB); without internet, "npm run serve" runs the same app in a browser.',
    '  --data-dir DIR     settings, identity and logs (default: Electron’s user-data folder)',
    '  --backend MODE     auto (Steam when it runs, else LAN), steam, or lan',
    '  --help             this text'
  ].join('\n'),
  options: {
    'data-dir': { type: 'string' },
    backend: { type: 'string' }
  }
} as const

export interface AppOptions {
  dataDir?: string
  backend?: BackendChoice
}

export class AppOptionError extends Error {
  override name = 'AppOptionError'
}

export function checkBackend(value: string | undefined): BackendChoice | undefined {
  if (value === undefined) return undefined
  if (value === 'auto' || value === 'steam' || value === 'lan') return value
  throw new AppOptionError(`--backend must be auto, steam or lan, got "${value}"`)
}

/** The app's flags out of Electron's argv (`--flag=value` or `--flag value`); others are Chromium's. */
export function readAppOptions(argv: string[]): AppOptions {
  const value = (flag: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!
      if (arg.startsWith(`--${flag}=`)) return arg.slice(flag.length + 3)
      if (arg === `--${flag}` && i + 1 < argv.length) return argv[i + 1]
    }
    return undefined
  }
  const dataDir = value('data-dir')
  let backend: BackendChoice | undefined
  try {
    backend = checkBackend(value('backend'))
  } catch {
    backend = undefined
  }
  return { ...(dataDir ? { dataDir: path.resolve(dataDir) } : {}), ...(backend ? { backend } : {}) }
}
