// `npm run bench`: the benchmarks, one JSON line per figure (docs/ holds the results). Speeds are
// compared within one run, as ratios: absolute timings on a shared 2-core machine are noise.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { parseCommandLine, runCommand, UsageError } from '../src/main/hosts/cli/command-line'

const ROOT = path.resolve(import.meta.dirname, '..')
const PARTS = {
  voice: 'Opus package, decompressVoice against the raw codec, pump and decode CPU (needs the real Steam capture)',
  network: 'mouth-to-ear latency between two engines on loopback, listener CPU as the room grows',
  worklet: 'the playback worklet’s process() in Chromium: time per quantum and bytes allocated',
  hostile: 'a million structured-fuzz datagrams at a live call, and a 10 s flood of handshakes at a peer process',
  app: 'mouth-to-ear of the app in Chromium through PulseAudio devices, beside the Chromium floor (builds the app first)'
} as const
type Part = keyof typeof PARTS

const BENCH_COMMAND = {
  name: 'bench',
  usage: [
    'usage: npm run bench -- [--only PART]...',
    '',
    'Runs the benchmarks and prints one JSON line per figure.',
    ...Object.entries(PARTS).map(([part, what]) => `  ${part.padEnd(8)} ${what}`),
    '  --only PART   run only this part (repeatable); default: all',
    '  --help        this text'
  ].join('\n'),
  options: { only: { type: 'string', multiple: true } }
} as const

async function main(): Promise<void> {
  const { values, help } = parseCommandLine(BENCH_COMMAND, process.argv.slice(2))
  if (help) {
    console.log(BENCH_COMMAND.usage)
    return
  }
  const parts = (values.only ?? Object.keys(PARTS)) as string[]
  for (const part of parts) {
    if (!(part in PARTS)) throw new UsageError(`--only takes ${Object.keys(PARTS).join(', ')}; got "${part}"`)
  }
  const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx')
  let failed = 0
  for (const part of parts as Part[]) {
    if (
      part === 'app' &&
      run(path.join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build', '--logLevel', 'warn']) !== 0
    ) {
      failed++
      continue
    }
    if (run(tsx, [path.join('bench', `${part}.bench.ts`)]) !== 0) failed++
  }
  if (failed) process.exit(1)
}

runCommand(BENCH_COMMAND, main)
