/**
 * Where one speaker's decoded audio goes to be played: a playout buffer in this process (the
 * headless peer mixes them itself), or the app's playback worklet, which holds the real queue and
 * reports how full it is. The speaker's stream reads the queue's state from here, and only here.
 */
export interface PlayoutSink {
  /** Decoded audio, `count` samples from `offset` at `sampleRate`, arriving at `now` (performance.now() ms). */
  push(samples: Int16Array, offset: number, count: number, sampleRate: number, now: number): void
  /** The sender ended its stream (released push-to-talk): what comes next starts a new one. */
  endOfStream(): void
  /** Audio queued ahead of the next push, as well as known at `now` (ms). */
  levelMs(now: number): number
  /** From a push until its first sample leaves the speaker, lately (ms): the queue ahead, transit, output. */
  readonly aheadMs: number
  /** The queue's own figures, as it last reported them. */
  readonly figures: PlayoutFigures
  close(): void
}

export interface PlayoutFigures {
  /** The low water it aims for (ms). */
  targetMs: number
  /** Arrival jitter it measures (ms). */
  jitterMs: number
  underruns: number
  /** Audio cut to bring the delay back down (ms). */
  cutMs: number
}

/** Makes the sink for a speaker who starts talking. */
export type PlayoutFactory = (speaker: bigint) => PlayoutSink
