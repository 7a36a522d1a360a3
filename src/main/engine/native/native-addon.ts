import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

import type { AvailableVoice, CapturedVoice, DecompressedVoice } from '../steam-voice/steam-voice'

/** Which interface versions `load` found in libsteam_api. */
export interface SteamApiLoaded {
  path: string
  user: string
  friends: string
  utils: string
}

export interface AuthSessionTicket {
  /** HAuthTicket, for cancelAuthTicket (0 = invalid). */
  id: number
  buffer: Uint8Array
  size: number
}

export interface SteamFriend {
  id: bigint
  name: string
  /** EPersonaState: Offline 0, Online 1, Busy 2, Away 3, Snooze 4, LookingToTrade 5, LookingToPlay 6, Invisible 7. */
  personaState: number
}

export interface Avatar {
  width: number
  height: number
  rgba: Uint8Array
}

/**
 * What native/ exports: Steam's flat API for voice, identity, auth sessions and friends, with
 * GodotSteam's names and return shapes. Every call but `buildInfo`, `load` and `isLoaded`
 * throws unless `load` has attached to libsteam_api and Steam is initialised. Wrong argument
 * types throw a TypeError saying what was expected.
 */
export interface NativeAddon {
  buildInfo(): { name: string; napiVersion: number }
  /** Attaches to the libsteam_api already in the process, or opens `path` (tests, overrides). */
  load(path?: string): SteamApiLoaded
  isLoaded(): boolean

  startVoiceRecording(): void
  stopVoiceRecording(): void
  getAvailableVoice(): AvailableVoice
  /** The result object and its buffer are reused by the next call. */
  getVoice(): CapturedVoice
  /** The result object and its buffer are reused by the next call. */
  decompressVoice(voice: Uint8Array, sampleRate: number): DecompressedVoice
  getVoiceOptimalSampleRate(): number

  getSteamID(): bigint
  loggedOn(): boolean
  isBehindNAT(): boolean
  getPlayerSteamLevel(): number

  /** A ticket bound to `remoteSteamId` when given (only that account can use it). */
  getAuthSessionTicket(remoteSteamId?: bigint): AuthSessionTicket
  /** EBeginAuthSessionResult. */
  beginAuthSession(ticket: Uint8Array, ticketSize: number, steamId: bigint): number
  endAuthSession(steamId: bigint): void
  cancelAuthTicket(id: number): void
  /** EUserHasLicenseForAppResult. */
  userHasLicenseForApp(steamId: bigint, appId: number): number

  getPersonaName(): string
  getFriends(): SteamFriend[]
  getSmallFriendAvatar(steamId: bigint): Avatar | null
  setInGameVoiceSpeaking(steamId: bigint, speaking: boolean): void

  /** A friends-only lobby; the call handle, answered by a `lobbyCreated` call result. */
  createLobby(maxMembers: number): bigint
  /** The call handle, answered by a `lobbyEntered` call result. */
  joinLobby(lobbyId: bigint): bigint
  leaveLobby(lobbyId: bigint): void
  getLobbyMembers(lobbyId: bigint): bigint[]
  openInviteDialog(lobbyId: bigint): void
  /** One pass of Steam's manual callback dispatch: the callbacks Parley uses, decoded. */
  runCallbacks(): SteamCallbackEvent[]
}

/** A Steam callback as the addon decodes it (ids as Steam numbers them). */
export type SteamCallbackEvent =
  | { callback: 101 }
  | { callback: 103; reason: number }
  | { callback: 143; steamId: bigint; response: number; ownerSteamId: bigint }
  | { callback: 333; lobby: bigint }
  /** memberStateChange as steamworks.js numbers it: 0 entered, 1 left, 2 disconnected, 3 kicked, 4 banned. */
  | { callback: 506; lobby: bigint; userChanged: bigint; memberStateChange: number }
  | { callback: 1202; remote: bigint }
  | { callback: 1203; remote: bigint; error: number }
  | {
      callback: 703
      call: bigint
      result: 'lobbyCreated' | 'lobbyEntered'
      ok: boolean
      lobby: bigint
      eresult: number
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
