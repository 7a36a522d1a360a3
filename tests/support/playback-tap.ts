/// <reference lib="dom" />
/**
 * Installed into a page before it loads (Playwright's addInitScript): whenever a worklet node
 * with no inputs (Parley's playback worklet) is connected to the speakers, a ScriptProcessor
 * also records what it outputs. The test reads what the listener would have heard, without
 * any hook in the app itself.
 */
export function installPlaybackTap(): void {
  interface Tap {
    recording: boolean
    chunks: Float32Array[]
    sampleRate: number
    graphs: number
  }
  const tap: Tap = { recording: false, chunks: [], sampleRate: 0, graphs: 0 }
  ;(window as unknown as { __playbackTap: Tap }).__playbackTap = tap
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const result = connect.apply(this, args)
    if (this instanceof AudioWorkletNode && this.numberOfInputs === 0 && args[0] instanceof AudioDestinationNode) {
      const context = this.context as AudioContext
      const recorder = context.createScriptProcessor(2048, 1, 1)
      recorder.onaudioprocess = (event) => {
        if (tap.recording && tap.sampleRate === context.sampleRate) {
          tap.chunks.push(Float32Array.from(event.inputBuffer.getChannelData(0)))
        }
      }
      connect.call(this, recorder)
      connect.call(recorder, context.destination)
      tap.sampleRate = context.sampleRate
      tap.graphs++
    }
    return result
  } as typeof AudioNode.prototype.connect
}

/** In the page: start recording the playback output afresh. */
export function startTap(): void {
  const tap = (window as unknown as { __playbackTap: { recording: boolean; chunks: Float32Array[] } }).__playbackTap
  tap.chunks = []
  tap.recording = true
}

/** In the page: stop, and return what was played as 16-bit samples (plain numbers, for transfer). */
export function stopTap(): { sampleRate: number; graphs: number; samples: number[] } {
  const tap = (
    window as unknown as {
      __playbackTap: { recording: boolean; chunks: Float32Array[]; sampleRate: number; graphs: number }
    }
  ).__playbackTap
  tap.recording = false
  const samples: number[] = []
  for (const chunk of tap.chunks) for (const value of chunk) samples.push(Math.round(value * 32767))
  return { sampleRate: tap.sampleRate, graphs: tap.graphs, samples }
}
