// `npm start`: the desktop app from a source checkout. Electron 45 has no install script, so a
// fresh clone has no binary and electron-vite cannot find one: fetch it first, with progress,
// and where that cannot be done, say so in one line and what to do instead.
import { downloadArtifact } from '@electron/get'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { APP_COMMAND, checkBackend } from '../src/main/hosts/electron/app-options'
import { parseCommandLine, runCommand, UsageError } from '../src/main/hosts/cli/command-line'
import { electronVersion, findElectronBinary } from './electron-binary'

const ROOT = path.resolve(import.meta.dirname, '..')
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron')

class NoElectronError extends Error {}

async function fetchElectron(): Promise<void> {
  const version = electronVersion()
  console.log(`Parley: fetching Electron ${version} for the desktop app (once; about 100 MB)…`)
  const checksums = JSON.parse(readFileSync(path.join(ELECTRON_DIR, 'checksums.json'), 'utf8'))
  let shown = -1
  try {
    // Into Electron's own cache, where its installer below finds it and unpacks it.
    await downloadArtifact({
      version,
      artifactName: 'electron',
      platform: process.platform,
      arch: process.arch,
      checksums,
      downloadOptions: {
        quiet: true,
        getProgressCallback: ({
          transferred,
          total,
          percent
        }: {
          transferred: number
          total: number | null
          percent: number
        }) => {
          const step = Math.floor(percent * 20)
          if (step === shown) return
          shown = step
          const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`
          console.log(
            `  ${Math.round(percent * 100)}% (${megabytes(transferred)}${total ? ` of ${megabytes(total)}` : ''})`
          )
        }
      }
    })
  } catch (error) {
    throw new NoElectronError(
      `Electron’s binary could not be downloaded (${(error as Error).message.split('\n')[0]}). ` +
        'Run Parley in your browser instead: "npm run serve", then open http://127.0.0.1:5190/. ' +
        'Once online, "npm start" fetches the binary (or run "npx install-electron").'
    )
  }
  const unpacked = spawnSync(process.execPath, [path.join(ELECTRON_DIR, 'install.js')], { stdio: 'inherit' })
  if (unpacked.status !== 0 || !findElectronBinary().path) {
    throw new NoElectronError('Electron was downloaded but could not be unpacked; run "npx install-electron" to retry.')
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const { values, help } = parseCommandLine(APP_COMMAND, argv)
  if (help) {
    console.log(APP_COMMAND.usage)
    return
  }
  try {
    checkBackend(values.backend)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (!findElectronBinary().path) await fetchElectron()
  const binary = findElectronBinary().path!
  const electronArgs = [
    ...(values['data-dir'] ? [`--data-dir=${path.resolve(values['data-dir'])}`] : []),
    ...(values.backend ? [`--backend=${values.backend}`] : [])
  ]
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview', '--', ...electronArgs],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: binary } }
  )
  const code = await new Promise<number>((resolve) => child.once('exit', (status) => resolve(status ?? 1)))
  process.exit(code)
}

runCommand({ name: 'npm start', usage: APP_COMMAND.usage }, main)
