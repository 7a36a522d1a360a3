import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { EventChannel } from '../../shared/channels'
import type { AppInfo, EventPayload } from '../../shared/contract'
import { loadOrCreateIdentity } from './auth/lan-identity'
import { CallerError, createDispatcher, type Dispatch } from './contract/dispatcher'
import type { Logger } from './logging/logger'
import { loadNativeAddon } from './native/native-addon'
import { InvalidSettingsError, SettingsStore } from './settings/settings-store'
import type { SteamworksApi } from './network/steam-lobby-transport'
import { SteamClientVoice } from './steam/steam-client-voice'
import { chooseVoiceBackend, resolveAppId, type BackendChoice } from './steam/voice-backend'
import { VoiceService } from './voice/voice-service'

export interface EngineOptions {
  /** Where settings (and later identity keys) live. */
  dataDir: string
  /** The folder holding package.json and native/. */
  appRoot: string
  host: AppInfo['host']
  logger: Logger
  /** --backend from the command line; overrides the setting. */
  backend?: BackendChoice
  /** steamworks.js's init; tests pass a stand-in. */
  initSteamworks?: (appId: number) => SteamworksApi
}

function initRealSteamworks(appId: number): SteamworksApi {
  const steamworks = createRequire(import.meta.url)('steamworks.js') as { init(appId: number): SteamworksApi }
  return steamworks.init(appId)
}

export type EngineEventListener = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void

/**
 * Everything main does, with no idea which host runs it. Hosts (the Electron shell, the browser
 * host) hand it a data directory and forward its contract calls and events.
 */
export interface ParleyEngine {
  readonly dispatch: Dispatch
  onEvent(listener: EngineEventListener): () => void
  close(): Promise<void>
}

export async function createEngine(options: EngineOptions): Promise<ParleyEngine> {
  const { logger } = options
  const settings = await SettingsStore.open(options.dataDir, logger)
  const listeners = new Set<EngineEventListener>()
  const emit: EngineEventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload)
  }
  const { settings: current } = settings.current
  const { appId } = resolveAppId(current.steamAppId, options.appRoot)
  const backend = chooseVoiceBackend({
    choice: options.backend ?? current.voiceBackend,
    appId,
    initSteamworks: options.initSteamworks ?? initRealSteamworks,
    native: () => loadNativeAddon(options.appRoot),
    libraryOverride: process.env.PARLEY_STEAM_API_LIB,
    logger
  })
  // In LAN mode we are who our Ed25519 identity says (created on first run beside the settings).
  const steamId =
    backend.kind === 'steam'
      ? backend.native.getSteamID()
      : (await loadOrCreateIdentity(options.dataDir, logger)).steamId
  const voice = await VoiceService.create({
    steamVoice: backend.kind === 'steam' ? new SteamClientVoice(backend.native) : undefined,
    steamId,
    sampleRate: settings.current.settings.sampleRate,
    listener: {
      activity: (speaker, activity) =>
        emit('voice:activity', { speaker, speaking: activity.speaking, levelDbfs: activity.levelDbfs })
    }
  })
  settings.onChange((state) => {
    // A new rate applies to the next packet decoded; nothing restarts.
    voice.setSampleRate(state.settings.sampleRate)
    emit('settings:changed', state)
  })

  const info: AppInfo = {
    name: 'Parley',
    version: readVersion(options.appRoot),
    host: options.host,
    platform: process.platform,
    nativeAddon: probeNativeAddon(options.appRoot, logger),
    voiceBackend: { kind: backend.kind, reason: backend.reason }
  }

  const dispatch = createDispatcher(
    {
      'app:getInfo': () => info,
      'settings:get': () => settings.current,
      'settings:update': async (patch) => {
        try {
          return await settings.update(patch)
        } catch (error) {
          if (error instanceof InvalidSettingsError) throw new CallerError(error.message)
          throw error
        }
      },
      'voice:pushMicrophone': ({ sampleRate, samples }) => {
        voice.pushMicrophone(sampleRate, samples)
        return undefined
      },
      'voice:setTalking': ({ talking }) => voice.setTalking(talking),
      'voice:getStatus': () => voice.status()
    },
    (error) => logger.error('a contract handler failed', error)
  )

  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      voice.close()
      listeners.clear()
    }
  }
}

function readVersion(appRoot: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

function probeNativeAddon(appRoot: string, logger: Logger): AppInfo['nativeAddon'] {
  try {
    const { name, napiVersion } = loadNativeAddon(appRoot).buildInfo()
    return { loaded: true, detail: `${name}, Node-API ${napiVersion}` }
  } catch (error) {
    logger.warn((error as Error).message)
    return { loaded: false, detail: (error as Error).message }
  }
}
