import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { freeUdpPort } from '../../../support/free-port'
import { REPO_ROOT, useTempDir } from '../../../support/temp-dir'

// Every command the README shows answers --help, and refuses an unknown option in one line.

const run = promisify(execFile)
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx')

/** The command as `npm run X` runs it (serve: the built host, which npm test builds first). */
const COMMANDS: Record<string, [string, string[]]> = {
  'npm start': [tsx, ['scripts/start.ts']],
  'npm run serve': [process.execPath, ['out/main/serve.js']],
  'npm run peer': [tsx, ['src/main/hosts/cli/peer-cli.ts']],
  'npm run steam-voice': [tsx, ['src/main/hosts/cli/steam-voice-cli.ts']],
  'npm run bench': [tsx, ['bench/run.ts']]
}

async function command(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, base] = COMMANDS[name]!
  try {
    const { stdout, stderr } = await run(file, [...base, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: 30_000
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((line) => line !== '')

describe.each(Object.keys(COMMANDS))('%s', (name) => {
  it('answers --help with its usage, exit 0', async () => {
    if (name === 'npm run serve') expect(existsSync(path.join(REPO_ROOT, 'out/main/serve.js'))).toBe(true)
    const result = await command(name, ['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^usage: ${name.replace('npm start', 'npm start --')}`))
    expect(result.stdout).toContain('--help')
    expect(result.stderr).toBe('')
  })

  it('refuses an unknown option in one line that names it and points to --help, exit 2', async () => {
    const result = await command(name, ['--bogus-option'])
    expect(result.code).toBe(2)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/unknown option --bogus-option \(see --help\)/)
  })
})

describe('npm start without an Electron binary', () => {
  let dir: string
  useTempDir((made) => (dir = made), 'file')

  it('tries to fetch it, then says in one line that it could not and what to do instead, exit 1', async () => {
    // No binary (an empty override), an empty download cache, and nobody listening at the mirror:
    // what a machine without internet sees, whether or not this one has Electron.
    const closed = await freeUdpPort()
    const result = await command('npm start', [], {
      ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
      electron_config_cache: path.join(dir, 'cache'),
      ELECTRON_MIRROR: `http://127.0.0.1:${closed}/`
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/fetching Electron \d+\.\d+\.\d+ for the desktop app/)
    const [line, ...more] = lines(result.stderr)
    expect(more).toEqual([])
    expect(line).toMatch(/^npm start: Electron’s binary could not be downloaded \(.+\)\./)
    expect(line).toContain('"npm run serve"')
    expect(line).toContain('"npx install-electron"')
  })
})
