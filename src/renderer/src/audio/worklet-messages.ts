/** Messages between the page and its two worklets (playback and capture), on their nodes' ports. */
export type PlaybackControl =
  /** The port main's PCM frames arrive on. */
  | { type: 'stream'; port: MessagePort }
  /** Per-member volume (0 to 2; 0 for muted). */
  | { type: 'gain'; speaker: string; gain: number }

export interface SpeakerPlaybackStats {
  speaker: string
  bufferedMs: number
  underruns: number
}

/** From the worklet, four times a second. */
export interface PlaybackReport {
  type: 'stats'
  speakers: SpeakerPlaybackStats[]
  /** Frames refused: malformed, or at a rate other than this context's. */
  refused: number
}

export const PLAYBACK_PROCESSOR = 'parley-playback'
export const CAPTURE_PROCESSOR = 'parley-capture'

/** To the capture worklet: its stream port, and whether to send (push-to-talk open). */
export type CaptureControl = { type: 'stream'; port: MessagePort } | { type: 'sending'; on: boolean }

/** From the capture worklet, every 20 ms: the microphone's level in dBFS. */
export interface CaptureLevel {
  levelDbfs: number
}
