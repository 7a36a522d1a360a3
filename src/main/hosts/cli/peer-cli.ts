import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import { PerformanceObserver } from 'node:perf_hooks'
import { SampleRateSettingSchema, type SampleRateSetting } from '../../../shared/settings-schema'
import { openHostLog } from '../../engine/logging/log-file'
import { loadOrCreateIdentity } from '../../engine/auth/lan-identity'
import { HeadlessPeer } from './headless-peer'
import { OUTPUT_BLOCK_MS } from '../../engine/playout/headless-output'
import { parseTalkSchedule, TalkScheduleError, type TalkSchedule } from './talk-schedule'
import { readWavFile, WavFormatError, writeWavFile, type MonoPcm } from '../../engine/audio/wav-file'
import { parseCommandLine, parseHostPort, runCommand, UsageError } from './command-line'

// `npm run peer`: a LAN room member without a window.

const PEER_COMMAND = {
  name: 'peer',
  usage: [
    'usage: npm run peer -- --name NAME --listen HOST:PORT [--join HOST:PORT ...] [--mic FILE.wav]',
    '         [--talk always|never|S-E[,S-E...]] [--record FILE.wav] [--sample-rate optimal|11025..48000]',
    '         [--duration SECONDS] [--stats FILE.json] [--data-dir DIR] [--output-buffer MS]',
    '',
    'A member of a LAN room with no window: plays a WAV into its microphone, records what it hears.',
    '  --name NAME            its name in the room',
    '  --listen HOST:PORT     where it listens (port 0 picks one; it prints the one it got)',
    '  --join HOST:PORT       a member to join through (repeatable)',
    '  --mic FILE.wav         its microphone (any rate, mono or stereo)',
    '  --talk WHEN            always, never, or windows of seconds from start (default: always with --mic)',
    '  --record FILE.wav      what it heard, written on exit',
    '  --sample-rate RATE     the rate it decodes and records at (default optimal: 24000)',
    '  --duration SECONDS     exit after this long (else on SIGINT or SIGTERM)',
    '  --stats FILE.json      its statistics, written on exit',
    '  --data-dir DIR         keeps its LAN identity across runs',
    '  --output-buffer MS     how far ahead its sound card is filled (default 5.3: two 2.67 ms blocks)',
    '  --help                 this text'
  ].join('\n'),
  options: {
    name: { type: 'string' },
    listen: { type: 'string' },
    join: { type: 'string', multiple: true },
    mic: { type: 'string' },
    talk: { type: 'string' },
    record: { type: 'string' },
    'sample-rate': { type: 'string' },
    duration: { type: 'string' },
    stats: { type: 'string' },
    'data-dir': { type: 'string' },
    'output-buffer': { type: 'string' }
  }
} as const

interface PeerCliOptions {
  name: string
  listen: { host: string; port: number }
  join: Array<{ host: string; port: number }>
  mic: MonoPcm | null
  talk: TalkSchedule
  record: string | null
  sampleRate: SampleRateSetting
  duration: number | null
  stats: string | null
  dataDir: string | null
  outputBlocksAhead: number | undefined
}

/** The options, or null when --help was asked for. */
async function parseOptions(argv: string[]): Promise<PeerCliOptions | null> {
  const { values, help } = parseCommandLine(PEER_COMMAND, argv)
  if (help) return null
  if (!values.name) throw new UsageError('--name is required')
  if (!values.listen) throw new UsageError('--listen is required')
  const rateText = values['sample-rate'] ?? 'optimal'
  const rate = SampleRateSettingSchema.safeParse(rateText === 'optimal' ? rateText : Number(rateText))
  if (!rate.success)
    throw new UsageError(
      `--sample-rate must be optimal or one of 11025, 16000, 22050, 24000, 32000, 44100, 48000, got "${rateText}"`
    )
  const duration = values.duration === undefined ? null : Number(values.duration)
  if (duration !== null && !(duration > 0 && duration <= 86400))
    throw new UsageError(`--duration must be seconds above 0, got "${values.duration}"`)
  let mic: MonoPcm | null = null
  if (values.mic) {
    mic = await readWavFile(values.mic).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file: ${values.mic}`)
      throw error
    })
  }
  const talk = parseTalkSchedule(values.talk ?? (mic ? 'always' : 'never'))
  const buffer = values['output-buffer'] === undefined ? undefined : Number(values['output-buffer'])
  if (buffer !== undefined && !(buffer >= OUTPUT_BLOCK_MS && buffer <= 100))
    throw new UsageError(
      `--output-buffer must be ${OUTPUT_BLOCK_MS.toFixed(2)} to 100 ms, got "${values['output-buffer']}"`
    )
  return {
    name: values.name,
    listen: parseHostPort(values.listen, '--listen'),
    join: (values.join ?? []).map((value) => parseHostPort(value, '--join')),
    mic,
    talk,
    record: values.record ?? null,
    sampleRate: rate.data,
    duration,
    stats: values.stats ?? null,
    dataDir: values['data-dir'] ?? null,
    outputBlocksAhead: buffer === undefined ? undefined : Math.round(buffer / OUTPUT_BLOCK_MS)
  }
}

async function main(): Promise<void> {
  const options = await parseOptions(process.argv.slice(2))
  if (!options) {
    console.log(PEER_COMMAND.usage)
    return
  }
  // Standard output is the peer's result (stats); its log goes to standard error, and to
  // DATA_DIR/logs/peer.log when it has a data directory.
  const { logger } = openHostLog({
    host: 'peer',
    folder: options.dataDir ? path.join(options.dataDir, 'logs') : null,
    console: 'info',
    consolePrefix: `[${options.name}]`,
    consoleToStderr: true
  })
  // Garbage collections while it runs: what allocation on the voice path costs, counted.
  let gcRuns = 0
  const gcWatch = new PerformanceObserver((list) => (gcRuns += list.getEntries().length))
  gcWatch.observe({ entryTypes: ['gc'] })
  const started = performance.now()
  // With --data-dir the identity (and so the LAN SteamID) survives restarts; without, it is new each run.
  const identity = options.dataDir ? await loadOrCreateIdentity(options.dataDir, logger) : undefined
  const peer = await HeadlessPeer.start({
    identity,
    name: options.name,
    listen: options.listen,
    join: options.join,
    mic: options.mic,
    talk: options.talk,
    record: options.record !== null,
    sampleRate: options.sampleRate,
    logger,
    outputBlocksAhead: options.outputBlocksAhead
  })
  const { host, port } = peer.address
  // Scripts read this line to learn the port when --listen asked for 0.
  console.log(`peer ${options.name} listening on ${host}:${port}`)

  let finishing = false
  const finish = async (): Promise<void> => {
    if (finishing) return
    finishing = true
    const stats = { ...peer.stats(), gc: { runs: gcRuns, seconds: (performance.now() - started) / 1000 } }
    const recorded = peer.recorded()
    await peer.stop()
    if (options.record) await writeWavFile(options.record, recorded)
    if (options.stats) await writeFile(options.stats, `${JSON.stringify(stats, null, 2)}\n`)
    process.exit(0)
  }
  process.on('SIGINT', () => void finish())
  process.on('SIGTERM', () => void finish())
  if (options.duration !== null) setTimeout(() => void finish(), options.duration * 1000)
}

runCommand({ ...PEER_COMMAND, knownErrors: [TalkScheduleError, WavFormatError] }, main)
