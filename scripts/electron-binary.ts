import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

const REPO_ROOT = path.resolve(import.meta.dirname, '..')

/**
 * Where Electron's binary is, if this checkout has it. Electron 45 has no install script: its
 * binary arrives on first `require('electron')` or `npx install-electron`, so a fresh clone has
 * none. Looked up by hand, never with require('electron'), which would start a download.
 */
export function findElectronBinary(
  env: NodeJS.ProcessEnv = process.env
): { path: string; missing?: undefined } | { path: null; missing: string } {
  const pkg = path.join(REPO_ROOT, 'node_modules', 'electron')
  const pathFile = path.join(pkg, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  const candidate = override
    ? path.join(override, relative ?? defaultExecutable())
    : relative && path.join(pkg, 'dist', relative)
  if (candidate && existsSync(candidate)) return { path: candidate }
  return {
    path: null,
    missing: candidate ? `no Electron binary at ${candidate}` : 'Electron’s binary was never downloaded'
  }
}

export function electronVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'))
  return (pkg as { version: string }).version
}

function defaultExecutable(): string {
  if (process.platform === 'win32') return 'electron.exe'
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  return 'electron'
}
