import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * How every Parley command reads its arguments: `--help` prints the usage and exits 0; a wrong
 * or unknown option is one line naming it, with the --help hint, and exit code 2.
 */

export class UsageError extends Error {
  override name = 'UsageError'
}

export interface CommandSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  /** What the one-line errors start with ("parley serve"). */
  name: string
  usage: string
  options: O
  allowPositionals?: boolean
}

type Parsed<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>
>

/** The arguments, or a UsageError saying in one line what is wrong with them. Never exits. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  spec: CommandSpec<O>,
  argv: string[]
): Parsed<O> & { help: boolean } {
  if (argv.includes('--help') || argv.includes('-h')) {
    return { values: {}, positionals: [], help: true } as unknown as Parsed<O> & { help: boolean }
  }
  try {
    const parsed = parseArgs({
      args: argv,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true
    })
    return { ...parsed, help: false } as Parsed<O> & { help: boolean }
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
}

/** node:util's parse errors, in one short line. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string }
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${quoted.split(' ')[0]} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`
    default:
      return message.split('\n')[0]!
  }
}

/**
 * Runs a command's main: --help prints `usage` (exit 0), a UsageError is one line and exit 2,
 * anything else one line and exit 1.
 */
export function runCommand(
  spec: { name: string; usage: string; knownErrors?: Array<new (...args: never[]) => Error> },
  main: () => Promise<void>
): void {
  main().catch((error: unknown) => {
    const usage = error instanceof UsageError
    const known = usage || (spec.knownErrors ?? []).some((type) => error instanceof type)
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    console.error(`${spec.name}: ${message}${usage ? ' (see --help)' : ''}`)
    process.exit(known ? 2 : 1)
  })
}

/** "host:port" (IPv6 in brackets); port 0 allowed (the caller says when it is not). */
export function parseHostPort(value: string, flag = '--http'): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value)
  if (!match) throw new UsageError(`${flag} wants HOST:PORT, got "${value}"`)
  const port = Number(match[2])
  if (port > 65535) throw new UsageError(`${flag} port must be 0 to 65535, got ${port}`)
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
}
