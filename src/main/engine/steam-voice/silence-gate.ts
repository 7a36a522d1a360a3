import { rmsDbfs } from '../audio/level'

/** A frame louder than this opens the gate (a quiet room sits well below; speech well above). */
export const GATE_OPEN_DBFS = -50
/** Frames sent after the last loud one, so word endings and short pauses are not cut. */
export const GATE_HANGOVER_FRAMES = 15

/**
 * Decides per 20 ms frame whether it is worth sending, as Steam's voice does: an open mic in
 * a quiet room sends next to nothing.
 */
export class SilenceGate {
  private hangover = 0

  /** True when this frame should be sent. */
  admit(frame: Int16Array): boolean {
    if (rmsDbfs(frame) > GATE_OPEN_DBFS) {
      this.hangover = GATE_HANGOVER_FRAMES
      return true
    }
    if (this.hangover > 0) {
      this.hangover--
      return true
    }
    return false
  }

  reset(): void {
    this.hangover = 0
  }
}
