/** Messages between the page and its audio threads: the playback worklet and the capture worker. */
export type PlaybackControl =
  /** The port main's PCM frames arrive on (and the worklet's reports go back on). */
  | { type: 'stream'; port: MessagePort }
  /** Per-member volume (0 to 2; 0 for muted). */
  | { type: 'gain'; speaker: string; gain: number }
  /** The context's own output latency (base plus output), for main's mouth-to-ear figure. */
  | { type: 'output-latency'; ms: number }

export const PLAYBACK_PROCESSOR = 'parley-playback'

/** To the capture worker: the microphone's chunks and main's port, and whether to send (push-to-talk open). */
export type CaptureWorkerControl =
  { type: 'start'; readable: ReadableStream<AudioData>; port: MessagePort } | { type: 'sending'; on: boolean }

/** From the capture worker, every 20 ms: the microphone's level in dBFS (or that it stopped). */
export interface CaptureLevel {
  levelDbfs: number
}
