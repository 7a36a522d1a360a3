import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { outsideAsar } from './native/outside-asar'
import type { EventChannel } from '../../shared/channels'
import type { AppInfo, EventPayload, AudioRoute } from '../../shared/contract'
import { createDispatcher, type Dispatch } from './contract/dispatcher'
import type { Logger } from './logging/logger'
import { loadNativeAddon } from './native/native-addon'
import { SettingsFile } from './settings/settings-file'
import type { SteamworksApi } from './steam/steamworks-api'
import { chooseVoiceBackend, resolveAppId, type BackendChoice } from './steam/voice-backend'
import type { VoiceActivationSettings } from './input/voice-activation'
import type { Settings } from '../../shared/settings-schema'
import { initWithoutCallbackLoop } from './steam/steamworks-init'
import { VoiceCall } from './call/voice-call'
import { contractHandlers } from './contract-handlers'
import { openRoom } from './open-room'
import type { PlaybackFrameListener } from './playout/playback-port'

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
  /** LAN mode: where the room listens (default: every interface, the lanPort setting). */
  listen?: { host: string; port: number }
  /** LAN rooms to join at start ("host:port"). */
  join?: string[]
  /** Our name in the room, instead of the displayName setting (--name). */
  name?: string
  /** False turns the global key hook off (tests that run several hosts on one display). */
  globalKeys?: boolean
  /** LAN mode: main may capture the microphone itself when the settings allow (default: the page always does). */
  appMicrophone?: boolean
  /** How this host streams playback PCM to its renderer. */
  playbackRoute: AudioRoute
  /** Electron: hand the renderer a fresh MessagePort (playback:open). */
  openPlaybackPort?: () => void
  /** How this host takes capture frames from its renderer. */
  captureRoute: AudioRoute
  /** Electron: hand the renderer a fresh MessagePort for capture (capture:open). */
  openCapturePort?: () => void
  /** This host's log file and its recent problems (Diagnostics); none: the terminal only. */
  log?: { folder: string; file: string; recentProblems(): string[] }
  /** Opens the log folder in the file manager (the desktop app); absent: the page shows the path. */
  openLogFolder?: (folder: string) => Promise<boolean>
}

function initRealSteamworks(appId: number): SteamworksApi {
  return initWithoutCallbackLoop(
    createRequire(import.meta.url)('steamworks.js') as { init(appId: number): SteamworksApi },
    appId
  )
}

export type EngineEventListener = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void

/**
 * Everything main does, with no idea which host runs it. Hosts (the Electron shell, the browser
 * host) hand it a data directory and forward its contract calls and events.
 */
export interface ParleyEngine {
  readonly dispatch: Dispatch
  onEvent(listener: EngineEventListener): () => void
  /** Decoded voice as playback frames, for the host to carry to its renderer. */
  addPlaybackListener(listener: PlaybackFrameListener): () => void
  /** A report from the renderer's playback worklet (binary); false when malformed (dropped, counted). */
  playoutReport(bytes: ArrayBuffer | Uint8Array): boolean
  /** A capture frame from the renderer (binary); false when it was malformed (dropped, counted). */
  pushCapture(bytes: ArrayBuffer | Uint8Array): boolean
  /** Push-to-talk state, for the tray. */
  readonly voiceStatus: VoiceCall['status']
  close(): Promise<void>
}

export async function createEngine(options: EngineOptions): Promise<ParleyEngine> {
  const { logger } = options
  const settings = await SettingsFile.open(options.dataDir, logger)
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
  const room = await openRoom({ options, backend, lanPort: current.lanPort, displayName: current.displayName, logger })
  const { self, link } = room
  const voice = new VoiceCall({
    voice: room.voice,
    embedded: room.embedded,
    self,
    link,
    sampleRate: current.sampleRate,
    releaseDelayMs: current.releaseDelayMs,
    bindings: { talk: current.pushToTalk, mute: current.muteKey, deafen: current.deafenKey },
    voiceActivation: voiceActivationOf(current, backend.kind),
    globalKeys:
      options.globalKeys === false
        ? { disabled: 'the global key hook is turned off (--global-keys off)' }
        : { script: outsideAsar(path.join(options.appRoot, 'out', 'main', 'global-keys.js')) },
    logger,
    appMicrophone: options.appMicrophone,
    onLocalSpeaking:
      backend.kind === 'steam' ? (speaking) => backend.native.setInGameVoiceSpeaking(self.id, speaking) : undefined,
    events: {
      activity: (speaker, speaking, levelDbfs) => emit('voice:activity', { speaker, speaking, levelDbfs }),
      status: (status) => emit('voice:status', status),
      roomChanged: (state) => emit('room:changed', state),
      levels: (levels) => emit('room:levels', { levels })
    }
  })
  for (const code of options.join ?? []) await link.join(code)
  const microphoneChoice = (of: typeof current) => ({
    deviceId: of.inputDeviceId,
    echoCancellation: of.echoCancellation,
    autoGainControl: of.autoGainControl,
    noiseSuppression: of.noiseSuppression || of.strongNoiseSuppression
  })
  await voice.setMicrophoneChoice(microphoneChoice(current))
  settings.onChange((state, previous) => {
    const next = state.settings
    void voice.setMicrophoneChoice(microphoneChoice(next))
    // A new rate applies to the next packet decoded; nothing restarts.
    if (next.sampleRate !== previous.sampleRate) voice.setSampleRate(next.sampleRate)
    voice.setReleaseDelay(next.releaseDelayMs)
    voice.setVoiceActivation(voiceActivationOf(next, backend.kind))
    const keys = (of: typeof next) => ({ talk: of.pushToTalk, mute: of.muteKey, deafen: of.deafenKey })
    if (JSON.stringify(keys(next)) !== JSON.stringify(keys(previous))) voice.setBindings(keys(next))
    emit('settings:changed', state)
    // A new name applies at once, to everyone in the room (LAN; Steam shows the persona name).
    if (next.displayName !== previous.displayName && !options.name && link.transport.setName) {
      self.name = next.displayName
      link.transport.setName(next.displayName)
      emit('room:changed', voice.state())
    }
  })

  const info: AppInfo = {
    name: 'Parley',
    version: readVersion(options.appRoot),
    host: options.host,
    platform: process.platform,
    nativeAddon: probeNativeAddon(options.appRoot, logger),
    voiceBackend: { kind: backend.kind, reason: backend.reason, detail: backend.detail }
  }

  const dispatch = createDispatcher(contractHandlers({ info, settings, voice, link, options }), (error) =>
    logger.error('a contract handler failed', error)
  )

  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    addPlaybackListener: (listener) => voice.addPlaybackListener(listener),
    playoutReport: (bytes) => voice.playoutReport(bytes),
    pushCapture: (bytes) => voice.pushCapture(bytes),
    voiceStatus: () => voice.status(),
    async close() {
      await voice.close()
      room.close()
      listeners.clear()
    }
  }
}

/** Steam's client records the microphone itself and hands over only voice: push-to-talk there. */
function voiceActivationOf(settings: Settings, backend: 'steam' | 'embedded'): VoiceActivationSettings | null {
  return settings.inputMode === 'voice-activation' && backend === 'embedded'
    ? { thresholdDbfs: settings.voiceThresholdDbfs, holdMs: settings.voiceHoldMs }
    : null
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
