import { createRequire } from 'node:module'
import path from 'node:path'

/** The microphone as main opens it: the system's default input, mono, 16-bit, 10 ms at a time. */
export const NATIVE_CAPTURE_RATE = 48000
const CHUNK_SAMPLES = NATIVE_CAPTURE_RATE / 100

export interface NativeMicrophoneOptions {
  /** 10 ms of the microphone, as it comes (the array is reused: copy what must outlive the call). */
  onSamples(samples: Int16Array, count: number, sampleRate: number): void
  /** The device stopped delivering (unplugged, taken away, or an error): what happened, in a line. */
  onEnded(detail: string): void
}

/**
 * naudiodon2's native binding, used directly: its index.js also loads segfault-handler (a NAN
 * addon, which fails to load when built against another Node's headers) and wraps each chunk in a
 * stream.
 */
interface PortAudioInput {
  start(): void
  read(bytes: number): Promise<{ buf?: Buffer; err?: Error; finished?: boolean }>
  quit(how: 'WAIT' | 'ABORT', callback?: () => void): Promise<void> | void
}
interface PortAudioBinding {
  create(options: { inOptions: Record<string, number | boolean> }): PortAudioInput
}

let portAudio: PortAudioBinding | Error | null = null

/** naudiodon2's binding (PortAudio), loaded once on first use; an Error says why it is not here. */
function loadPortAudio(): PortAudioBinding | Error {
  if (portAudio) return portAudio
  try {
    const require = createRequire(import.meta.url)
    const folder = path.dirname(require.resolve('naudiodon2/package.json'))
    portAudio = require(path.join(folder, 'build', 'Release', 'naudiodon.node')) as PortAudioBinding
  } catch (error) {
    portAudio = error instanceof Error ? error : new Error(String(error))
  }
  return portAudio
}

/**
 * The microphone captured by main itself (PortAudio, through naudiodon2), as the Steam client
 * does in Steam mode: no page, no browser audio processing and no process hop on the send side.
 * It reads only while asked to (push-to-talk held, voice activation, the mic test): otherwise
 * PortAudio's own queue keeps the last 20 ms and drops the rest, and this thread is not woken.
 */
export class NativeMicrophone {
  private readonly chunk = new Int16Array(CHUNK_SAMPLES)
  private reading = false
  private looping = false
  private ended = false

  private constructor(
    private readonly input: PortAudioInput,
    private readonly options: NativeMicrophoneOptions
  ) {}

  /** Opens the default input; an Error (never thrown) when there is none or PortAudio is missing. */
  static async open(options: NativeMicrophoneOptions): Promise<NativeMicrophone | Error> {
    const binding = loadPortAudio()
    if (binding instanceof Error) return new Error(`PortAudio is not available: ${binding.message.split('\n')[0]}`)
    try {
      const input = binding.create({
        inOptions: {
          channelCount: 1,
          sampleFormat: 16,
          sampleRate: NATIVE_CAPTURE_RATE,
          deviceId: -1,
          closeOnError: true,
          framesPerBuffer: CHUNK_SAMPLES,
          maxQueue: 2
        }
      })
      input.start()
      return new NativeMicrophone(input, options)
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  /** Whether frames are wanted now; while not, nothing is read (PortAudio keeps its last 20 ms). */
  setReading(on: boolean): void {
    if (this.ended) return
    this.reading = on
    if (on && !this.looping) void this.readLoop()
  }

  close(): void {
    if (this.ended) return
    this.ended = true
    // ABORT: nothing to wait for (WAIT waits on a server that may be gone).
    void Promise.resolve()
      .then(() => this.input.quit('ABORT'))
      .catch(() => {})
  }

  private async readLoop(): Promise<void> {
    this.looping = true
    try {
      while (this.reading && !this.ended) {
        const result = await this.input.read(CHUNK_SAMPLES * 2)
        if (this.ended) return
        if (result.err) return this.end(result.err.message)
        if (result.finished || !result.buf) return this.end('the microphone closed')
        if (this.reading) this.onData(result.buf)
      }
    } catch (error) {
      this.end(error instanceof Error ? error.message : String(error))
    } finally {
      this.looping = false
    }
  }

  private onData(data: Buffer): void {
    const chunk = this.chunk
    let offset = 0
    // The chunk is copied out whole samples at a time (a Buffer may start at an odd offset).
    while (offset + 1 < data.length) {
      const count = Math.min(chunk.length, (data.length - offset) >> 1)
      for (let i = 0; i < count; i++) chunk[i] = data.readInt16LE(offset + i * 2)
      this.options.onSamples(chunk, count, NATIVE_CAPTURE_RATE)
      offset += count * 2
    }
  }

  private end(detail: string): void {
    if (this.ended) return
    this.ended = true
    void Promise.resolve()
      .then(() => this.input.quit('ABORT'))
      .catch(() => {})
    this.options.onEnded(detail)
  }
}
