import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './temp-dir'

export type ElectronBinary = { path: string; reason?: undefined } | { path: null; reason: string }

/**
 * The Electron binary, if this machine has one. Never calls require('electron'), which would
 * try to download it.
 */
export function findElectronBinary(): ElectronBinary {
  const pkg = path.join(REPO_ROOT, 'node_modules', 'electron')
  const pathFile = path.join(pkg, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const candidate = override
    ? path.join(override, relative ?? 'electron')
    : relative && path.join(pkg, 'dist', relative)
  if (candidate && existsSync(candidate)) return { path: candidate }
  return {
    path: null,
    reason:
      'no Electron binary on this machine (Electron downloads it on first run, and this machine has no internet). ' +
      'Run "npx install-electron" where the internet is reachable, or set ELECTRON_OVERRIDE_DIST_PATH, to run this test.'
  }
}
