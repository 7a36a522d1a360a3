// What an AudioWorkletGlobalScope provides; TypeScript's DOM lib does not describe it.
declare global {
  const sampleRate: number
  const currentTime: number
  const currentFrame: number
  abstract class AudioWorkletProcessor {
    readonly port: MessagePort
    constructor(options?: unknown)
    abstract process(
      inputs: Float32Array[][],
      outputs: Float32Array[][],
      parameters: Record<string, Float32Array>
    ): boolean
  }
  function registerProcessor(name: string, processor: new (options?: unknown) => AudioWorkletProcessor): void
}

export {}
