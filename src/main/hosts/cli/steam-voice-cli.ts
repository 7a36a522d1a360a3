import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { readWavFile, WavFormatError, writeWavFile } from '../../engine/audio/wav-file'
import { parseCommandLine, runCommand, UsageError } from './command-line'
import { CaptureFileError, readCaptureFile, writeCaptureFile } from '../../engine/steam-voice/capture-file'
import { decodeCapture, encodeAudio } from '../../engine/steam-voice/offline-codec'
import { MAX_DECOMPRESS_RATE, MIN_DECOMPRESS_RATE } from '../../engine/steam-voice/steam-voice'

// `npm run steam-voice -- decode IN.bin --rate R --out OUT.wav` and `... encode IN.wav --out OUT.bin`:
// Steam voice captures to audio and back, through the embedded Steam Voice.

const STEAM_VOICE_COMMAND = {
  name: 'steam-voice',
  usage: [
    'usage: npm run steam-voice -- decode IN.bin [--rate 11025..48000] --out OUT.wav',
    '       npm run steam-voice -- encode IN.wav --out OUT.bin [--steam-id ID]',
    '',
    'Steam voice captures (length-prefixed GetVoice packets) to audio and back.',
    '  decode     prints {packets, frames, concealed, badCrc, corrupted, seconds}',
    '  encode     any WAV (rate, channels, bit depth), encoded at Steam’s 24000 Hz',
    '  --help     this text'
  ].join('\n'),
  options: {
    rate: { type: 'string' },
    out: { type: 'string' },
    'steam-id': { type: 'string' }
  },
  allowPositionals: true
} as const

async function main(argv: string[]): Promise<void> {
  const { positionals, values, help } = parseCommandLine(STEAM_VOICE_COMMAND, argv)
  if (help) {
    console.log(STEAM_VOICE_COMMAND.usage)
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

runCommand({ ...STEAM_VOICE_COMMAND, knownErrors: [WavFormatError, CaptureFileError] }, () =>
  main(process.argv.slice(2))
)
