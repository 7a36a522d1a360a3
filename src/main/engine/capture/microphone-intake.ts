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
 * Microphone frames into the recorder at once, so a packet leaves the moment a 20 ms frame is
 * complete: the page's (binary, see capture-frame.ts; a malformed frame is dropped and counted),
 * or main's own (app-microphone.ts). With Steam, the client has its own microphone and frames are
 * ignored.
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
    this.pushSamples(frame.samples, frame.count, frame.sampleRate)
    return true
  }

  /** Samples as they were captured (main's own microphone). */
  pushSamples(samples: Int16Array, count: number, sampleRate: number): void {
    if (!this.recorder) return
    // Voice activation hears the frame first, so the frame that opens the microphone goes out too.
    if (this.level.listening) this.level.hear(rmsDbfs(samples, 0, count))
    this.recorder.pushMicrophone(samples, 0, count, sampleRate, this.scheduler.now())
  }
}
