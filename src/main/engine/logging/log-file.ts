import log from 'electron-log/node'
import path from 'node:path'
import { inspect } from 'node:util'
import type { Logger } from './logger'
import { redactSecrets } from './redact-secrets'

/** A file is rotated (kept as name.old.log, one generation) when it passes this size. */
export const LOG_MAX_BYTES = 1024 * 1024
/** Warnings and errors kept for "Copy diagnostics". */
const RECENT_PROBLEMS = 50

export interface HostLog {
  logger: Logger
  /** The folder the log files are in (Diagnostics: "Open log folder"). */
  folder: string
  file: string
  /** The last warnings and errors, oldest first, as written (timestamped, secrets removed). */
  recentProblems(): string[]
}

export interface HostLogOptions {
  /** Which host writes: names the file (browser.log, peer.log, …). */
  host: string
  /** Where the file goes; null: the terminal only (a throwaway test peer). */
  folder: string | null
  /** Also to the terminal from this level on (info to stdout, problems to stderr); false: the file only. */
  console: 'info' | 'warn' | false
  /** Before each terminal line (default "[parley]"). */
  consolePrefix?: string
  /** Every terminal line to standard error (a CLI whose standard output is its result). */
  consoleToStderr?: boolean
}

/** Any part of a message as text with secrets taken out (an error with its stack). */
function describe(part: unknown): string {
  const text = typeof part === 'string' ? part : part instanceof Error ? (part.stack ?? part.message) : inspect(part)
  return redactSecrets(text)
}

/**
 * Every Node host's log, through electron-log (the same library the Electron shell logs with):
 * levels, timestamps, a size cap with one rotated file, and secrets taken out before anything is
 * written anywhere.
 */
export function openHostLog(options: HostLogOptions & { folder: string }): HostLog
export function openHostLog(options: HostLogOptions): Omit<HostLog, 'folder' | 'file'> & Partial<HostLog>
export function openHostLog(options: HostLogOptions): Omit<HostLog, 'folder' | 'file'> & Partial<HostLog> {
  const instance = log.create({ logId: `parley-${options.host}-${Math.random().toString(36).slice(2)}` })
  const file = options.folder === null ? undefined : path.join(options.folder, `${options.host}.log`)
  instance.transports.file.resolvePathFn = () => file ?? ''
  instance.transports.file.maxSize = LOG_MAX_BYTES
  instance.transports.file.level = file ? 'info' : false
  instance.transports.file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}'
  // One redacted text per message, written to the file, the terminal (without timestamps: a
  // terminal has its own) and, for problems, the recent list.
  instance.transports.console.level = false
  const prefix = options.consolePrefix ?? '[parley]'
  const recent: string[] = []
  const write = (level: 'info' | 'warn' | 'error', message: string, details: unknown[]): void => {
    const text = [message, ...details].map(describe).join(' ')
    if (level !== 'info') {
      recent.push(`${new Date().toISOString()} ${level}: ${text}`)
      if (recent.length > RECENT_PROBLEMS) recent.shift()
    }
    if (options.console !== false && !(options.console === 'warn' && level === 'info')) {
      if (level === 'info' && !options.consoleToStderr) console.info(`${prefix} ${text}`)
      else console.error(`${prefix} ${text}`)
    }
    instance[level](text)
  }
  return {
    ...(file && options.folder ? { folder: options.folder, file } : {}),
    recentProblems: () => [...recent],
    logger: {
      info: (message, ...details) => write('info', message, details),
      warn: (message, ...details) => write('warn', message, details),
      error: (message, ...details) => write('error', message, details)
    }
  }
}
