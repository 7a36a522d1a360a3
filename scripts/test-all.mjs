#!/usr/bin/env node
// `npm test`: builds the app, runs Vitest (unit and component) and Playwright (end-to-end),
// and ends with one line totalled over both: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const reports = path.join(root, '.test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

function run(label, command, args) {
  console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}`)
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
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
const playwrightStatus = wantsXvfb
  ? run('end-to-end tests (under xvfb-run)', '/usr/bin/xvfb-run', ['-a', bin('playwright'), 'test'])
  : run('end-to-end tests', bin('playwright'), ['test'])

let passed = 0
let failed = 0
let skipped = 0
const problems = []

for (const vitestRun of vitestRuns) {
  const vitest = readJson(vitestRun.file)
  if (vitest) {
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests
    skipped += vitest.numPendingTests + vitest.numTodoTests
  } else {
    problems.push(`Vitest (${vitestRun.label}) wrote no report (exit ${vitestRun.status})`)
  }
  if (vitest && vitestRun.status !== 0 && vitest.numFailedTests === 0) {
    problems.push(`Vitest (${vitestRun.label}) exited ${vitestRun.status}`)
  }
}

const playwright = readJson(path.join(reports, 'playwright.json'))
if (playwright) {
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
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of playwright.suites ?? []) walk(suite)
} else {
  problems.push(`Playwright wrote no report (exit ${playwrightStatus})`)
}
if (playwright && playwrightStatus !== 0 && playwright.stats.unexpected === 0 && !problems.length) {
  problems.push(`Playwright exited ${playwrightStatus}`)
}

for (const problem of problems) console.log(`problem: ${problem}`)
const runnerFailures = problems.length
console.log(`\n${passed} passed, ${failed + runnerFailures} failed, ${skipped} skipped`)
process.exit(failed + runnerFailures > 0 ? 1 : 0)
