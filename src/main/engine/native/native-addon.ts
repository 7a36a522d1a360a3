import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** What native/ exports. Grows with the Steamworks binding. */
export interface NativeAddon {
  buildInfo(): { name: string; napiVersion: number }
}

export const NATIVE_ADDON_RELATIVE_PATH = path.join('native', 'build', 'Release', 'parley_native.node')

export class NativeAddonMissingError extends Error {
  override name = 'NativeAddonMissingError'
  constructor(readonly addonPath: string) {
    super(`Parley's native addon is not built (looked for ${addonPath}). Run "npm run build:native" to build it.`)
  }
}

export class NativeAddonLoadError extends Error {
  override name = 'NativeAddonLoadError'
}

/** Loads the addon from `appRoot` (or an explicit path) and checks it exports what we call. */
export function loadNativeAddon(
  appRoot: string,
  addonPath = path.join(appRoot, NATIVE_ADDON_RELATIVE_PATH)
): NativeAddon {
  if (!existsSync(addonPath)) throw new NativeAddonMissingError(addonPath)
  let loaded: unknown
  try {
    loaded = createRequire(path.join(appRoot, 'package.json'))(addonPath)
  } catch (error) {
    throw new NativeAddonLoadError(`Parley's native addon at ${addonPath} failed to load: ${(error as Error).message}`)
  }
  if (typeof (loaded as Partial<NativeAddon> | null)?.buildInfo !== 'function') {
    throw new NativeAddonLoadError(`${addonPath} is not Parley's native addon (it has no buildInfo function)`)
  }
  return loaded as NativeAddon
}
