import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { readWavFile, WavFormatError, writeWavFile } from '../../engine/voice/audio/wav-file'
import { CaptureFileError, readCaptureFile, writeCaptureFile } from '../../engine/voice/steam-voice/capture-file'
import { decodeCapture, encodeAudio } from '../../engine/voice/steam-voice/offline-codec'
import { MAX_DECOMPRESS_RATE, MIN_DECOMPRESS_RATE } from '../../engine/voice/steam-voice/steam-voice'

// `npm run steam-voice -- decode IN.bin --rate R --out OUT.wav` and `... encode IN.wav --out OUT.bin`:
// Steam voice captures to audio and back, through the embedded Steam Voice.

const USAGE = [
  'usage: npm run steam-voice -- decode IN.bin [--rate 11025..48000] --out OUT.wav',
  '       npm run steam-voice -- encode IN.wav --out OUT.bin [--steam-id ID]'
].join('\n')

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      out: { type: 'string' },
      'steam-id': { type: 'string' },
      help: { type: 'boolean' }
    }
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const [command, input, ...extra] = positionals
  if (!command || !input || extra.length) throw new UsageError('expected a command and one input file')
  if (!values.out) throw new UsageError('--out is required')

  if (command === 'decode') {
    const rate = parseRate(values.rate ?? '24000')
    const packets = readCaptureFile(await readInput(input))
    const { pcm, summary } = await decodeCapture(packets, rate)
    await writeWavFile(values.out, pcm)
    console.log(JSON.stringify(summary))
  } else if (command === 'encode') {
    if (values.rate) throw new UsageError('--rate is for decode (encoding is always at Steam’s 24000 Hz)')
    const steamId = values['steam-id'] ? parseSteamId(values['steam-id']) : randomIndividualSteamId()
    const audio = await readWavFile(input).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file: ${input}`)
      throw error
    })
    const { packets, summary } = await encodeAudio(audio, steamId)
    await writeFile(values.out, writeCaptureFile(packets))
    console.log(JSON.stringify(summary))
  } else {
    throw new UsageError(`unknown command "${command}"`)
  }
}

function parseRate(text: string): number {
  const rate = Number(text)
  if (!Number.isInteger(rate) || rate < MIN_DECOMPRESS_RATE || rate > MAX_DECOMPRESS_RATE) {
    throw new UsageError(
      `--rate must be a whole number from ${MIN_DECOMPRESS_RATE} to ${MAX_DECOMPRESS_RATE}, got "${text}"`
    )
  }
  return rate
}

function parseSteamId(text: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > 0xffffffffffffffffn)
    throw new UsageError(`--steam-id must be a SteamID64, got "${text}"`)
  return BigInt(text)
}

/** An id in the individual-account range, for captures made without a Steam account. */
function randomIndividualSteamId(): bigint {
  return 76561197960265728n + BigInt(randomBytes(4).readUInt32LE(0))
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file: ${file}`)
    throw error
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof WavFormatError || error instanceof CaptureFileError
  const message = error instanceof Error ? error.message : String(error)
  // One line, so scripts and people see exactly what went wrong.
  console.error(`steam-voice: ${message.split('\n')[0]}${error instanceof UsageError ? ' (see --help)' : ''}`)
  process.exit(known || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1)
})
