import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * libopus, as compiled to WebAssembly by the @evan/opus package, called through its C API.
 * We bind it ourselves because its JS wrapper cannot ask for packet-loss concealment of an
 * exact frame size and copies every decoded frame; here decoders write straight into buffers
 * they own inside wasm memory.
 */

export type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000
export const OPUS_RATES: readonly OpusRate[] = [8000, 12000, 16000, 24000, 48000]
export const OPUS_APPLICATION_VOIP = 2048
const OPUS_SET_BITRATE = 4002
const OPUS_SET_COMPLEXITY = 4010
const OPUS_SET_INBAND_FEC = 4012
const OPUS_SET_PACKET_LOSS_PERC = 4014
const OPUS_SET_SIGNAL = 4024
const OPUS_SIGNAL_VOICE = 3001
const OPUS_RESET_STATE = 4028

/** 120 ms at 48 kHz: the longest frame libopus can return. */
const MAX_FRAME_SAMPLES = 5760
const MAX_PACKET_BYTES = 4000

interface OpusExports {
  memory: WebAssembly.Memory
  malloc(size: number): number
  free(ptr: number): void
  opus_strerror(code: number): number
  opus_decoder_get_size(channels: number): number
  opus_decoder_init(st: number, rate: number, channels: number): number
  opus_decode(st: number, data: number, len: number, pcm: number, frameSize: number, fec: number): number
  opus_decoder_ctl_set(st: number, request: number, value: number): number
  opus_encoder_get_size(channels: number): number
  opus_encoder_init(st: number, rate: number, channels: number, application: number): number
  opus_encode(st: number, pcm: number, frameSize: number, data: number, maxBytes: number): number
  opus_encoder_ctl_set(st: number, request: number, value: number): number
  _initialize?: () => void
}

export class OpusError extends Error {
  override name = 'OpusError'
}

let loaded: OpusExports | null = null

/** The libopus instance shared by every encoder and decoder in this process (synchronous, once). */
export function opusModule(): OpusExports {
  if (loaded) return loaded
  const dir = path.dirname(createRequire(import.meta.url).resolve('@evan/opus/wasm/index.js'))
  // The SIMD build where the engine supports it (Node, Electron, Chromium all do).
  const file = path.join(dir, WebAssembly.validate(SIMD_PROBE) ? 'simd.wasm' : 'opus.wasm')
  const module = new WebAssembly.Module(readFileSync(file))
  const instance = new WebAssembly.Instance(module, {
    wasi_snapshot_preview1: { fd_seek: () => 0, fd_write: () => 0, fd_close: () => 0, proc_exit: () => {} },
    env: { emscripten_notify_memory_growth: () => {} }
  })
  loaded = instance.exports as unknown as OpusExports
  loaded._initialize?.()
  return loaded
}

// A one-function module using a v128 instruction: valid only where wasm SIMD is supported.
const SIMD_PROBE = Uint8Array.of(
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  4,
  1,
  96,
  0,
  0,
  3,
  2,
  1,
  0,
  10,
  9,
  1,
  7,
  0,
  65,
  0,
  253,
  15,
  26,
  11
)

function check(code: number, what: string): number {
  if (code < 0) {
    const opus = opusModule()
    const bytes = new Uint8Array(opus.memory.buffer)
    let text = ''
    for (let i = opus.opus_strerror(code); bytes[i] !== 0 && text.length < 80; i++)
      text += String.fromCharCode(bytes[i]!)
    throw new OpusError(`${what}: ${text || `error ${code}`}`)
  }
  return code
}

/**
 * A region of wasm memory with a typed view that survives memory growth (growth detaches
 * old views, so the view is rebuilt only when the underlying buffer changed).
 */
class WasmRegion<T extends Int16Array | Uint8Array> {
  private view: T
  constructor(
    readonly ptr: number,
    readonly length: number,
    private readonly make: (buffer: ArrayBuffer, ptr: number, length: number) => T
  ) {
    this.view = make(opusModule().memory.buffer, ptr, length)
  }
  get(): T {
    const buffer = opusModule().memory.buffer
    if (this.view.buffer !== buffer) this.view = this.make(buffer, this.ptr, this.length)
    return this.view
  }
}

function freeAll(...pointers: number[]): void {
  const opus = opusModule()
  for (const pointer of pointers) opus.free(pointer)
}

const int16 = (buffer: ArrayBuffer, ptr: number, length: number) => new Int16Array(buffer, ptr, length)
const uint8 = (buffer: ArrayBuffer, ptr: number, length: number) => new Uint8Array(buffer, ptr, length)

/** One Opus decoder (mono) writing into its own PCM buffer. */
export class OpusDecoder {
  readonly frameSamples: number
  private state: number
  private readonly input: WasmRegion<Uint8Array>
  private readonly output: WasmRegion<Int16Array>

  constructor(readonly sampleRate: OpusRate) {
    const opus = opusModule()
    this.frameSamples = sampleRate / 50
    this.state = opus.malloc(opus.opus_decoder_get_size(1))
    check(opus.opus_decoder_init(this.state, sampleRate, 1), 'opus_decoder_init')
    this.input = new WasmRegion(opus.malloc(MAX_PACKET_BYTES), MAX_PACKET_BYTES, uint8)
    this.output = new WasmRegion(opus.malloc(MAX_FRAME_SAMPLES * 2), MAX_FRAME_SAMPLES, int16)
  }

  /** Decodes one Opus packet (`length` bytes of `source` from `offset`); returns the sample count now at the start of `pcm()`, or a negative Opus error. */
  decode(source: Uint8Array, offset = 0, length = source.length - offset): number {
    if (!this.copyIn(source, offset, length)) return -1
    const output = this.output.get()
    return opusModule().opus_decode(this.state, this.input.ptr, length, output.byteOffset, MAX_FRAME_SAMPLES, 0)
  }

  /**
   * Recovers the 20 ms frame lost just before `source` from the in-band FEC it carries (or,
   * without FEC data, conceals it as PLC would).
   */
  recover(source: Uint8Array, offset = 0, length = source.length - offset): number {
    if (!this.copyIn(source, offset, length)) return -1
    const output = this.output.get()
    return opusModule().opus_decode(this.state, this.input.ptr, length, output.byteOffset, this.frameSamples, 1)
  }

  /** Puts `length` bytes of `source` from `offset` where libopus reads them; false if they don't fit. */
  private copyIn(source: Uint8Array, offset: number, length: number): boolean {
    if (length <= 0 || length > MAX_PACKET_BYTES || offset + length > source.length) return false
    const input = this.input.get()
    for (let i = 0; i < length; i++) input[i] = source[offset + i]!
    return true
  }

  /** Packet-loss concealment for one lost 20 ms frame. */
  conceal(): number {
    const output = this.output.get()
    return opusModule().opus_decode(this.state, 0, 0, output.byteOffset, this.frameSamples, 0)
  }

  /** The decoder's output buffer; valid until the next decode or conceal. */
  pcm(): Int16Array {
    return this.output.get()
  }

  reset(): void {
    opusModule().opus_decoder_ctl_set(this.state, OPUS_RESET_STATE, 0)
  }

  free(): void {
    if (!this.state) return
    freeAll(this.state, this.input.ptr, this.output.ptr)
    this.state = 0
  }
}

export interface OpusEncoderOptions {
  bitrate?: number
  complexity?: number
  /** Expected loss percentage; with it, in-band FEC lets a receiver recover single lost frames. */
  packetLossPercent?: number
}

/** One Opus encoder (mono, VOIP application) for 20 ms frames. */
export class OpusEncoder {
  readonly frameSamples: number
  private state: number
  private readonly input: WasmRegion<Int16Array>
  private readonly output: WasmRegion<Uint8Array>

  constructor(
    readonly sampleRate: OpusRate,
    options: OpusEncoderOptions = {}
  ) {
    const opus = opusModule()
    this.frameSamples = sampleRate / 50
    this.state = opus.malloc(opus.opus_encoder_get_size(1))
    check(opus.opus_encoder_init(this.state, sampleRate, 1, OPUS_APPLICATION_VOIP), 'opus_encoder_init')
    check(opus.opus_encoder_ctl_set(this.state, OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE), 'signal')
    check(opus.opus_encoder_ctl_set(this.state, OPUS_SET_BITRATE, options.bitrate ?? 32000), 'bitrate')
    check(opus.opus_encoder_ctl_set(this.state, OPUS_SET_COMPLEXITY, options.complexity ?? 8), 'complexity')
    const loss = options.packetLossPercent ?? 0
    check(opus.opus_encoder_ctl_set(this.state, OPUS_SET_INBAND_FEC, loss > 0 ? 1 : 0), 'fec')
    check(opus.opus_encoder_ctl_set(this.state, OPUS_SET_PACKET_LOSS_PERC, loss), 'loss')
    this.input = new WasmRegion(opus.malloc(this.frameSamples * 2), this.frameSamples, int16)
    this.output = new WasmRegion(opus.malloc(MAX_PACKET_BYTES), MAX_PACKET_BYTES, uint8)
  }

  /** Encodes one frame of `frameSamples`; returns the packet's length at the start of `packet()`. */
  encode(frame: Int16Array): number {
    if (frame.length !== this.frameSamples)
      throw new OpusError(`expected ${this.frameSamples} samples, got ${frame.length}`)
    this.input.get().set(frame)
    const output = this.output.get()
    return check(
      opusModule().opus_encode(this.state, this.input.ptr, this.frameSamples, output.byteOffset, MAX_PACKET_BYTES),
      'opus_encode'
    )
  }

  /** The encoder's packet buffer; valid until the next encode. */
  packet(): Uint8Array {
    return this.output.get()
  }

  reset(): void {
    opusModule().opus_encoder_ctl_set(this.state, OPUS_RESET_STATE, 0)
  }

  free(): void {
    if (!this.state) return
    freeAll(this.state, this.input.ptr, this.output.ptr)
    this.state = 0
  }
}
