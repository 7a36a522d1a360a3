import { SILENCE_DBFS } from '../audio/level'

/** A speaker counts as talking while a packet came within this long (Valve's SpaceWar uses 250 ms). */
export const SPEAKING_HOLD_MS = 250
/** Audio quieter than this does not light the speaking indicator. */
export const SPEAKING_FLOOR_DBFS = -55

export interface SpeakingState {
  speaking: boolean
  /** Recent level in dBFS, for a meter: fast attack, slow release. */
  levelDbfs: number
}

/** One speaker's voice activity, updated per decoded packet and aged by the clock. */
export class SpeakingTracker implements SpeakingState {
  speaking = false
  levelDbfs = SILENCE_DBFS
  private lastHeardAt = -Infinity

  /** When, with nothing more heard, `speaking` goes out. */
  get quietAt(): number {
    return this.lastHeardAt + SPEAKING_HOLD_MS + 1
  }

  /** Records a packet's level; returns true if `speaking` changed. */
  heard(levelDbfs: number, now: number): boolean {
    this.lastHeardAt = now
    this.levelDbfs = levelDbfs > this.levelDbfs ? levelDbfs : this.levelDbfs * 0.7 + levelDbfs * 0.3
    return this.update(now)
  }

  /** Ages the state; returns true if `speaking` changed. */
  update(now: number): boolean {
    const recent = now - this.lastHeardAt <= SPEAKING_HOLD_MS
    if (!recent) this.levelDbfs = SILENCE_DBFS
    const speaking = recent && this.levelDbfs > SPEAKING_FLOOR_DBFS
    if (speaking === this.speaking) return false
    this.speaking = speaking
    return true
  }
}
