import { CaptureFrameView, parseCaptureFrame } from '../../../shared/capture-frame'
import { rmsDbfs } from '../audio/level'
import type { EmbeddedSteamVoice } from '../steam-voice/embedded-steam-voice'
import type { Scheduler } from '../time/scheduler'

/** Who hears each frame's level first (voice activation), when it is listening. */
export interface LevelListener {
  readonly listening: boolean
  hear(levelDbfs: number): void
}

/**
 * Microphone frames from the page's capture worklet (binary, see capture-frame.ts) into the
 * recorder at once, so a packet leaves the moment a 20 ms frame is complete. A malformed frame is
 * dropped and counted. With Steam, the client has its own microphone and frames are ignored.
 */
export class MicrophoneIntake {
  /** Frames refused as malformed. */
  refused = 0
  private readonly frame = new CaptureFrameView()

  constructor(
    private readonly recorder: EmbeddedSteamVoice | null,
    private readonly scheduler: Scheduler,
    private readonly level: LevelListener
  ) {}

  push(bytes: ArrayBuffer | Uint8Array): boolean {
    const frame = this.frame
    if (!parseCaptureFrame(bytes, frame)) {
      this.refused++
      return false
    }
    if (!this.recorder) return true
    // Voice activation hears the frame first, so the frame that opens the microphone goes out too.
    if (this.level.listening) this.level.hear(rmsDbfs(frame.samples, 0, frame.count))
    this.recorder.pushMicrophone(frame.samples, 0, frame.count, frame.sampleRate, this.scheduler.now())
    return true
  }
}
