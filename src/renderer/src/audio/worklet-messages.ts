/** Messages between the page and its audio threads: the playback worklet and the capture worker. */
export type PlaybackControl =
  /**
   * The port the worklet's reports go back to main on, and main's PCM frames: in the ring, when the
   * page is cross-origin isolated (no message per frame), else as messages on the port.
   */
  | { type: 'stream'; port: MessagePort; ring: SharedArrayBuffer | null }
  /** Per-member volume (0 to 2; 0 for muted). */
  | { type: 'gain'; speaker: string; gain: number }
  /** The context's own output latency (base plus output), for main's mouth-to-ear figure. */
  | { type: 'output-latency'; ms: number }

/**
 * From the playback worklet to the page: nothing has played for a while (the page may suspend the
 * context: no rendering, no device callbacks), or audio arrived while it was quiet (resume it).
 */
export type PlaybackActivity =
  /** `framesWritten`: the ring's count when the worklet went quiet (a frame since means it is not). */
  { type: 'quiet'; framesWritten: number } | { type: 'wake' }

export const PLAYBACK_PROCESSOR = 'parley-playback'

/** To the capture worker: the microphone's chunks and main's port, and whether to send (push-to-talk open). */
export type CaptureWorkerControl =
  { type: 'start'; readable: ReadableStream<AudioData>; port: MessagePort } | { type: 'sending'; on: boolean }

/** From the capture worker, every 20 ms: the microphone's level in dBFS (or that it stopped). */
export interface CaptureLevel {
  levelDbfs: number
}

/**
 * To the audio link worker: main's end (a WebSocket's URL, or Electron's MessagePort), the
 * worklet's or capture worker's port, which way the audio goes, and the playback ring if any.
 */
export interface AudioLinkStart {
  main: string | MessagePort
  port: MessagePort
  /** in: main → worklet (playback frames; the worklet's reports go back). out: port → main (capture frames). */
  direction: 'in' | 'out'
  ring: SharedArrayBuffer | null
}
