import { findElectronBinary as find } from '../../scripts/electron-binary'

export type ElectronBinary = { path: string; reason?: undefined } | { path: null; reason: string }

/** The Electron binary for the shell tests, or why they skip. */
export function findElectronBinary(): ElectronBinary {
  const binary = find()
  if (binary.path) return { path: binary.path }
  return {
    path: null,
    reason:
      `${binary.missing} (this machine cannot download it). ` +
      '"npm start" fetches it where the internet is reachable; or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron.'
  }
}
