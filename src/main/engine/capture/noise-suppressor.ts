import type { RnnoiseModule } from '@echogarden/rnnoise-wasm'

/**
 * RNNoise (its WebAssembly build, @echogarden/rnnoise-wasm) on main's own microphone: the noise
 * suppression that runs where the browser's would have. It takes 10 ms frames at 48 kHz, RNNoise's
 * one frame size; it costs ~1.5% of a core while the microphone is read (measured here), nothing
 * otherwise.
 */
export const NOISE_SUPPRESSION_RATE = 48000

export class NoiseSuppressor {
  readonly frameSamples: number
  private readonly state: number
  private readonly input: number
  private readonly output: number

  private constructor(private readonly module: RnnoiseModule) {
    this.frameSamples = module._rnnoise_get_frame_size()
    this.state = module._rnnoise_create(0)
    this.input = module._malloc(this.frameSamples * 4)
    this.output = module._malloc(this.frameSamples * 4)
  }

  static async create(): Promise<NoiseSuppressor> {
    const { default: createModule } = await import('@echogarden/rnnoise-wasm')
    return new NoiseSuppressor(await createModule())
  }

  /** Denoises `count` samples in place; a frame of any other length than RNNoise's passes untouched. */
  process(samples: Int16Array, count: number): void {
    if (count !== this.frameSamples) return
    // The heap is read fresh each time: it is replaced if the module's memory ever grows.
    const heap = this.module.HEAPF32
    const input = this.input >> 2
    const output = this.output >> 2
    for (let i = 0; i < count; i++) heap[input + i] = samples[i]!
    this.module._rnnoise_process_frame(this.state, this.output, this.input)
    for (let i = 0; i < count; i++) {
      const value = Math.round(heap[output + i]!)
      samples[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value
    }
  }

  close(): void {
    this.module._free(this.input)
    this.module._free(this.output)
    this.module._rnnoise_destroy(this.state)
  }
}
