import type { GlobalKeysStatus } from '../../../shared/contract'
import type { Logger } from '../logging/logger'
import type { Scheduler } from '../time/scheduler'
import { GlobalKeys } from './global-keys'
import type { KeyBindings } from './global-keys-protocol'
import { PushToTalk } from './push-to-talk'
import { VoiceActivation, type VoiceActivationSettings } from './voice-activation'

export interface TalkInputOptions {
  scheduler: Scheduler
  releaseDelayMs: number
  bindings: KeyBindings
  /** Voice activation instead of (besides) push-to-talk, when set. */
  voiceActivation: VoiceActivationSettings | null
  /** The built global key hook, or why there is none. */
  globalKeys: { script: string } | { disabled: string }
  logger: Logger
  /** Whether the microphone should be open changed, or what the status shows did. */
  changed(): void
}

/**
 * Everything that decides whether the microphone is open: push-to-talk from the window and the
 * global hook (with its release delay), voice activation, self-mute, deafen and the mic test.
 */
export class TalkInput {
  private readonly ptt: PushToTalk
  private readonly vad: VoiceActivation
  private readonly keys: GlobalKeys | null
  private keysStatus: GlobalKeysStatus
  /** Push-to-talk held (with its release delay), whether or not we are muted. */
  private held = false
  private listening_: boolean
  private muted_ = false
  private deafened_ = false
  private micTest_ = false
  /** Until the constructor returns, nobody is told of changes: the hook may report its status at once. */
  private started = false

  constructor(private readonly options: TalkInputOptions) {
    const { scheduler } = options
    this.ptt = new PushToTalk(scheduler, options.releaseDelayMs, (held) => {
      this.held = held
      options.changed()
    })
    this.listening_ = options.voiceActivation !== null
    this.vad = new VoiceActivation(scheduler, options.voiceActivation ?? { thresholdDbfs: 0, holdMs: 0 }, (open) =>
      open ? this.ptt.press('voice') : this.ptt.release('voice')
    )
    if ('script' in options.globalKeys) {
      this.keysStatus = { active: false, detail: 'starting the global key hook' }
      this.keys = GlobalKeys.start({
        script: options.globalKeys.script,
        bindings: options.bindings,
        logger: options.logger,
        onDown: (action) => {
          if (action === 'talk') this.ptt.press('global')
          else if (action === 'mute') this.setMuted(!this.muted_)
          else this.setDeafened(!this.deafened_)
        },
        onUp: (action) => {
          if (action === 'talk') this.ptt.release('global')
        },
        onStatus: (status) => {
          this.keysStatus = status
          if (this.started) options.changed()
        }
      })
    } else {
      this.keys = null
      this.keysStatus = GlobalKeys.disabled(options.globalKeys.disabled)
    }
    this.started = true
  }

  /** The microphone is open: the mic test, or push-to-talk (or voice) while neither muted nor deafened. */
  get talking(): boolean {
    return this.micTest_ || (this.held && !this.muted_ && !this.deafened_)
  }

  /** Deafen mutes too. */
  get muted(): boolean {
    return this.muted_ || this.deafened_
  }

  get deafened(): boolean {
    return this.deafened_
  }

  get micTest(): boolean {
    return this.micTest_
  }

  get globalKeys(): GlobalKeysStatus {
    return this.keysStatus
  }

  /** Voice activation wants to hear the microphone's level. */
  get listening(): boolean {
    return this.listening_
  }

  /** One capture frame's level (dBFS), for voice activation. */
  hear(levelDbfs: number): void {
    this.vad.hear(levelDbfs)
  }

  /** The window's push-to-talk (key or button); the release delay applies. */
  setWindowTalking(talking: boolean): void {
    if (talking) this.ptt.press('window')
    else this.ptt.release('window')
  }

  /** Self-mute: push-to-talk sends nothing until unmuted (a held key talks again at once). */
  setMuted(muted: boolean): void {
    this.muted_ = muted
    this.options.changed()
  }

  /** Deafen also mutes; undeafening keeps the self-mute as it was. */
  setDeafened(deafened: boolean): void {
    this.deafened_ = deafened
    this.options.changed()
  }

  /** The mic test opens the microphone whatever push-to-talk or mute say. */
  setMicTest(on: boolean): void {
    this.micTest_ = on
    this.options.changed()
  }

  setReleaseDelay(ms: number): void {
    this.ptt.setReleaseDelay(ms)
  }

  /** Voice activation on (with its level and hold) or off. */
  setVoiceActivation(settings: VoiceActivationSettings | null): void {
    this.listening_ = settings !== null
    if (settings) this.vad.setSettings(settings)
    else this.vad.close()
  }

  setBindings(bindings: KeyBindings): void {
    this.keys?.rebind(bindings)
  }

  close(): void {
    this.vad.close()
    this.keys?.close()
    this.ptt.close()
  }
}
