import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { SampleRateSettingSchema, type SampleRateSetting } from '../../../shared/settings-schema'
import { consoleLogger, type Logger } from '../../engine/logging/logger'
import { loadOrCreateIdentity } from '../../engine/auth/lan-identity'
import { HeadlessPeer } from '../../engine/peer/headless-peer'
import { parseTalkSchedule, TalkScheduleError, type TalkSchedule } from '../../engine/peer/talk-schedule'
import { readWavFile, WavFormatError, writeWavFile, type MonoPcm } from '../../engine/voice/audio/wav-file'
import { parseHostPort, UsageError } from '../browser/serve-options'

// `npm run peer -- --name NAME --listen HOST:PORT [--join HOST:PORT ...] [--mic FILE.wav]
//   [--talk always|never|S-E[,S-E...]] [--record FILE.wav] [--sample-rate optimal|11025..48000]
//   [--duration SECONDS] [--stats FILE.json]`: a LAN room member without a window.

const USAGE =
  'usage: npm run peer -- --name NAME --listen HOST:PORT [--join HOST:PORT ...] [--mic FILE.wav] ' +
  '[--talk always|never|S-E[,S-E...]] [--record FILE.wav] [--sample-rate optimal|11025..48000] ' +
  '[--duration SECONDS] [--stats FILE.json] [--data-dir DIR]'

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
}

async function parseOptions(argv: string[]): Promise<PeerCliOptions> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
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
      help: { type: 'boolean' }
    }
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
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
    dataDir: values['data-dir'] ?? null
  }
}

async function main(): Promise<void> {
  const options = await parseOptions(process.argv.slice(2))
  const logger: Logger = { ...consoleLogger, info: (message) => console.error(`[${options.name}] ${message}`) }
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
    logger
  })
  const { host, port } = peer.address
  // Scripts read this line to learn the port when --listen asked for 0.
  console.log(`peer ${options.name} listening on ${host}:${port}`)

  let finishing = false
  const finish = async (): Promise<void> => {
    if (finishing) return
    finishing = true
    const stats = peer.stats()
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

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof TalkScheduleError || error instanceof WavFormatError
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  console.error(`peer: ${message}${known ? ' (see --help)' : ''}`)
  process.exit(known || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1)
})
