import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Logger } from '../logging/logger'
import type { NativeAddon } from '../native/native-addon'
import type { SteamworksApi } from './steamworks-api'

export type BackendChoice = 'auto' | 'steam' | 'lan'

/** Valve's public test app (Spacewar), for development without our own app id. */
export const DEVELOPMENT_APP_ID = 480

/** `reason` is for the status bar (a player's words); `detail` for Diagnostics and the log. */
export type BackendDecision =
  | { kind: 'embedded'; reason: string; detail: string | null }
  | {
      kind: 'steam'
      reason: string
      detail: string | null
      appId: number
      steamworks: SteamworksApi
      native: NativeAddon
    }

export class SteamRequiredError extends Error {
  override name = 'SteamRequiredError'
}

/** The app id: settings first, then steam_appid.txt beside the app, then 480. */
export function resolveAppId(fromSettings: number | null, appRoot: string): { appId: number; source: string } {
  if (fromSettings !== null) return { appId: fromSettings, source: 'settings' }
  try {
    const text = readFileSync(path.join(appRoot, 'steam_appid.txt'), 'utf8').trim()
    if (/^\d{1,10}$/.test(text)) return { appId: Number(text), source: 'steam_appid.txt' }
  } catch {
    /* none */
  }
  return { appId: DEVELOPMENT_APP_ID, source: 'development default' }
}

export interface ChooseBackendOptions {
  choice: BackendChoice
  appId: number
  /** steamworks.js's init (loading it loads libsteam_api into the process). */
  initSteamworks: (appId: number) => SteamworksApi
  native: () => NativeAddon
  /** PARLEY_STEAM_API_LIB: a libsteam_api to open instead of attaching to steamworks.js's. */
  libraryOverride?: string
  logger: Logger
}

/**
 * Steam when a client is running and both steamworks.js and our addon attach; otherwise the
 * embedded backend (LAN mode), with the reason said. `steam` forced and unavailable is an error.
 */
export function chooseVoiceBackend(options: ChooseBackendOptions): BackendDecision {
  const { choice, appId, logger } = options
  if (choice === 'lan') {
    const reason = 'LAN mode (chosen in Settings)'
    logger.info(`${reason}, or --backend lan`)
    return { kind: 'embedded', reason, detail: null }
  }
  const fallBack = (words: string, detail: string): BackendDecision => {
    if (choice === 'steam') throw new SteamRequiredError(`Steam was required (--backend steam) but ${words}: ${detail}`)
    logger.warn(`LAN mode: ${words} (${detail})`)
    return { kind: 'embedded', reason: `LAN mode: ${words}`, detail }
  }
  let steamworks: SteamworksApi
  try {
    steamworks = options.initSteamworks(appId)
  } catch (error) {
    return fallBack('Steam is not running', `steamworks.js could not start: ${firstLine(error)}`)
  }
  let native: NativeAddon
  let nativeId: bigint
  try {
    native = options.native()
    native.load(options.libraryOverride)
    nativeId = native.getSteamID() // throws if Steam's interfaces are not there
  } catch (error) {
    return fallBack('Parley could not connect to Steam', `the native binding could not attach: ${firstLine(error)}`)
  }
  // Two copies of libsteam_api (an override, a second install) can be signed in as different
  // users: voice would go out as one and tickets as another. One identity, or no Steam mode.
  const steamworksId = steamworks.localplayer.getSteamId().steamId64
  if (steamworksId !== nativeId) {
    return fallBack(
      'Steam answers as two different users. Restart Steam and Parley; if it persists, reinstall Parley',
      `steamworks.js is ${steamworksId}, the native binding ${nativeId}: two copies of Steam's library are loaded`
    )
  }
  const reason = `Steam: ${steamworks.localplayer.getName()} is signed in`
  const detail = `app ${appId}`
  logger.info(`${reason} (${detail})`)
  return { kind: 'steam', reason, detail, appId, steamworks, native }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200)
}
