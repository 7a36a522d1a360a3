/**
 * Where the embedded Steam Voice gets its audio: 16-bit mono at the source's own rate,
 * captured in real time. Steam's client reads the system microphone itself; in LAN mode the
 * renderer's capture worklet pushes frames, and tests and bots read WAV files.
 */
export interface MicrophoneSource {
  readonly sampleRate: number
  /** Moves up to `out.length` captured samples into `out`; returns how many. */
  read(out: Int16Array): number
  /** Forgets what was captured and not read (recording starts with the present, not a backlog). */
  discard(): void
  /** True once a finite source (a file) has delivered everything it has. */
  readonly ended: boolean
}

/** Milliseconds on some monotonic clock; injected so tests and offline encoding control time. */
export type Clock = () => number

export const monotonicClock: Clock = () => performance.now()
