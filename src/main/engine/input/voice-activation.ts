import { Alarm, type Scheduler } from '../time/scheduler'

export interface VoiceActivationSettings {
  /** A capture frame at least this loud (RMS, dBFS) opens the microphone. */
  thresholdDbfs: number
  /** Quieter than that for this long closes it again (Mumble's "voice hold"). */
  holdMs: number
}

/** Frames stop coming (the microphone went away): the open microphone closes this long after the hold. */
const STALL_MS = 250

/**
 * Voice activation, as an alternative to push-to-talk: the microphone opens on the first frame
 * louder than the threshold (that frame already goes out), and closes once the voice has been
 * quieter for the hold time, or frames stopped coming.
 */
export class VoiceActivation {
  private open = false
  private lastLoudAt = -Infinity
  private readonly alarm: Alarm

  constructor(
    private readonly scheduler: Scheduler,
    private settings: VoiceActivationSettings,
    private readonly onChange: (open: boolean) => void
  ) {
    this.alarm = new Alarm(scheduler, () => this.close())
  }

  get isOpen(): boolean {
    return this.open
  }

  setSettings(settings: VoiceActivationSettings): void {
    this.settings = settings
  }

  /** One capture frame's level (dBFS), heard now. */
  hear(levelDbfs: number): void {
    const now = this.scheduler.now()
    if (levelDbfs >= this.settings.thresholdDbfs) {
      this.lastLoudAt = now
      if (!this.open) {
        this.open = true
        this.onChange(true)
      }
    } else if (this.open && now - this.lastLoudAt >= this.settings.holdMs) {
      return this.close()
    }
    if (this.open) {
      this.alarm.cancel()
      this.alarm.wakeAt(this.lastLoudAt + this.settings.holdMs + STALL_MS)
    }
  }

  close(): void {
    this.alarm.cancel()
    if (!this.open) return
    this.open = false
    this.onChange(false)
  }
}
