// @echogarden/rnnoise-wasm ships no types: its Emscripten module, as noise-suppressor.ts uses it.
declare module '@echogarden/rnnoise-wasm' {
  export interface RnnoiseModule {
    _rnnoise_get_frame_size(): number
    _rnnoise_create(model: number): number
    _rnnoise_destroy(state: number): void
    _rnnoise_process_frame(state: number, output: number, input: number): number
    _malloc(bytes: number): number
    _free(pointer: number): void
    HEAPF32: Float32Array
  }
  export default function createModule(): Promise<RnnoiseModule>
}
