import type { AppInfo } from '../../shared/contract'
import { CallerError, type Handlers } from './contract/dispatcher'
import type { VoiceCall } from './call/voice-call'
import { diagnosticsReport } from './logging/diagnostics-report'
import { InvalidSettingsError, type SettingsFile } from './settings/settings-file'
import type { EngineOptions } from './parley-engine'
import { JoinCodeError, JoinFailedError, type RoomLink } from './transport/room-link'

export interface ContractHandlerParts {
  info: AppInfo
  settings: SettingsFile
  voice: VoiceCall
  link: RoomLink
  options: Pick<
    EngineOptions,
    'playbackRoute' | 'captureRoute' | 'openPlaybackPort' | 'openCapturePort' | 'log' | 'openLogFolder'
  >
}

/** Every contract call, answered from the engine's parts (the dispatcher has checked the payload already). */
export function contractHandlers({ info, settings, voice, link, options }: ContractHandlerParts): Handlers {
  return {
    'app:getInfo': () => info,
    'app:getDiagnostics': () => ({
      text: diagnosticsReport({
        info,
        room: voice.state(),
        voice: voice.status(),
        logFile: options.log?.file ?? null,
        recentProblems: options.log?.recentProblems() ?? []
      }),
      logFolder: options.log?.folder ?? null
    }),
    'app:openLogFolder': async () =>
      options.log && options.openLogFolder ? options.openLogFolder(options.log.folder) : false,
    'settings:get': () => settings.current,
    'settings:update': async (patch) => {
      try {
        return await settings.update(patch)
      } catch (error) {
        if (error instanceof InvalidSettingsError) throw new CallerError(error.message)
        throw error
      }
    },
    'voice:setTalking': ({ talking }) => voice.setTalking(talking),
    'voice:getStatus': () => voice.status(),
    'voice:setMuted': ({ muted }) => voice.setMuted(muted),
    'voice:setDeafened': ({ deafened }) => voice.setDeafened(deafened),
    'voice:setMicTest': ({ on }) => voice.setMicTest(on),
    'room:get': () => voice.state(),
    'room:join': async ({ code }) => {
      try {
        await link.join(code)
      } catch (error) {
        if (error instanceof JoinCodeError || error instanceof JoinFailedError) throw new CallerError(error.message)
        throw error
      }
      return voice.state()
    },
    'room:cancelJoin': () => {
      link.cancelJoin()
      return voice.state()
    },
    'room:invite': () => link.invite(),
    'room:getStats': () => voice.stats(),
    'friends:list': () => ({ source: link.mode, friends: link.friends() }),
    'playback:open': () => {
      options.openPlaybackPort?.()
      return options.playbackRoute
    },
    'capture:open': () => {
      options.openCapturePort?.()
      return options.captureRoute
    }
  }
}
