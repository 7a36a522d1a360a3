#!/usr/bin/env node
// `npm test`: builds the app, runs Vitest (unit and component) and Playwright (end-to-end),
// and ends with one line totalled over both: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'

const root = path.resolve(import.meta.dirname, '..')
const reports = path.join(root, '.test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

// Every process this run starts inherits this mark, so what is left running at the end is ours.
const RUN_MARK = { name: 'PARLEY_TEST_RUN', value: `${process.pid}-${Date.now()}` }

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}`)
  return spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, [RUN_MARK.name]: RUN_MARK.value }
  }).status
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/**
 * What this run started and left running (Linux), by pid: a browser host, PulseAudio, Chromium
 * or a peer left behind keeps a core busy through whatever runs next (the fresh clone's pass in
 * CI), so the run names them at its end.
 */
function leftRunning() {
  const found = []
  if (process.platform !== 'linux') return found
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const environment = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      if (!environment.includes(`${RUN_MARK.name}=${RUN_MARK.value}`)) continue
      found.push([Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()])
    } catch {
      // gone already, or not ours to read
    }
  }
  return found
}

if (run('build', bin('electron-vite'), ['build']) !== 0) {
  console.log('\n0 passed, 1 failed')
  process.exit(1)
}

const vitestRuns = [
  {
    label: 'unit and component tests',
    file: path.join(reports, 'vitest.json'),
    args: ['--project', 'node', '--project', 'renderer']
  },
  {
    label: 'real-time tests (alone, one file at a time)',
    file: path.join(reports, 'vitest-realtime.json'),
    args: ['--project', 'realtime', '--no-file-parallelism']
  }
]
for (const vitestRun of vitestRuns) {
  vitestRun.status = run(vitestRun.label, bin('vitest'), [
    'run',
    ...vitestRun.args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestRun.file}`
  ])
}

// Electron and the global key hook need an X display; give them a virtual one where there is none.
const wantsXvfb = process.platform === 'linux' && !process.env.DISPLAY && existsSync('/usr/bin/xvfb-run')
// The real-time browser tests (the two-host call, the worklet under a profiler, what real
// PulseAudio devices hear: the mic test, voice activation, the join and leave cues) run alone after
// the rest, one at a time (as the real-time Vitest tests do): beside other tests on two cores
// their hosts starve, the audio that arrives is late and chopped, and V8 optimises late.
const playwrightRuns = [
  { label: 'end-to-end tests', project: 'app', file: path.join(reports, 'playwright.json') },
  {
    label: 'end-to-end real-time tests (alone)',
    project: 'call',
    file: path.join(reports, 'playwright-call.json'),
    extra: ['--workers', '1']
  }
]
for (const playwrightRun of playwrightRuns) {
  const args = ['test', '--project', playwrightRun.project, ...(playwrightRun.extra ?? [])]
  const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightRun.file }
  playwrightRun.status = wantsXvfb
    ? run(`${playwrightRun.label} (under xvfb-run)`, '/usr/bin/xvfb-run', ['-a', bin('playwright'), ...args], env)
    : run(playwrightRun.label, bin('playwright'), args, env)
}

let passed = 0
let failed = 0
let skipped = 0
const problems = []
// The tail of a long run is what a CI log keeps: name each failure there.
const failures = []
const firstLine = (text) =>
  stripVTControlCharacters(text ?? 'no message')
    .split('\n')
    .find((line) => line.trim()) ?? ''

for (const vitestRun of vitestRuns) {
  const vitest = readJson(vitestRun.file)
  if (vitest) {
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests
    skipped += vitest.numPendingTests + vitest.numTodoTests
  } else {
    problems.push(`Vitest (${vitestRun.label}) wrote no report (exit ${vitestRun.status})`)
  }
  for (const file of vitest?.testResults ?? []) {
    for (const result of file.assertionResults ?? []) {
      if (result.status === 'skipped' || result.status === 'pending') {
        console.log(`skipped: ${result.fullName}: ${result.meta?.skipReason ?? 'no reason given'}`)
      } else if (result.status === 'failed') {
        failures.push(
          `${file.name?.replace(root, '.') ?? ''} › ${result.fullName}: ${firstLine(result.failureMessages?.[0])}`
        )
      }
    }
  }
  if (vitest && vitestRun.status !== 0 && vitest.numFailedTests === 0) {
    problems.push(`Vitest (${vitestRun.label}) exited ${vitestRun.status}`)
  }
}

for (const playwrightRun of playwrightRuns) {
  const playwright = readJson(playwrightRun.file)
  if (!playwright) {
    problems.push(`Playwright (${playwrightRun.label}) wrote no report (exit ${playwrightRun.status})`)
    continue
  }
  passed += playwright.stats.expected + playwright.stats.flaky
  failed += playwright.stats.unexpected
  skipped += playwright.stats.skipped
  for (const error of playwright.errors ?? []) problems.push(`Playwright: ${error.message?.split('\n')[0]}`)
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const note of t.annotations ?? []) {
          if (note.type === 'skip') console.log(`skipped: ${spec.title}: ${note.description ?? 'no reason given'}`)
        }
        if (t.status === 'unexpected') {
          const error = t.results?.at(-1)?.error?.message
          failures.push(`${spec.file} › ${spec.title}: ${firstLine(error)}`)
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of playwright.suites ?? []) walk(suite)
  if (playwrightRun.status !== 0 && playwright.stats.unexpected === 0 && !playwright.errors?.length) {
    problems.push(`Playwright (${playwrightRun.label}) exited ${playwrightRun.status}`)
  }
}

const leftBehind = leftRunning()
for (const [pid, command] of leftBehind) console.log(`still running after the tests: ${pid} ${command.slice(0, 160)}`)
if (process.platform === 'linux' && leftBehind.length === 0) console.log('nothing the tests started is still running')

for (const failure of failures) console.log(`failed: ${failure}`)
for (const problem of problems) console.log(`problem: ${problem}`)
const runnerFailures = problems.length
console.log(`\n${passed} passed, ${failed + runnerFailures} failed, ${skipped} skipped`)
process.exit(failed + runnerFailures > 0 ? 1 : 0)
