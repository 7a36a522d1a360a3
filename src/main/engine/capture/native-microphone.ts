import { createRequire } from 'node:module'
import path from 'node:path'

/** The microphone as main opens it: the system's default input, mono, 16-bit, 10 ms at a time. */
export const NATIVE_CAPTURE_RATE = 48000
const CHUNK_SAMPLES = NATIVE_CAPTURE_RATE / 100
/**
 * While nothing is wanted the stream is still read, 100 ms at a time, and dropped: the sound
 * server keeps everything nobody reads (45 s of it after 45 s, measured), which a press would
 * otherwise send as if it were live. The price: ~2.5% of a core idle, PortAudio's callback thread
 * waking 100 times a second (naudiodon2 has no pause; its only stop closes the stream, and
 * reopening took 0.9–2 s).
 */
const IDLE_READ_SAMPLES = CHUNK_SAMPLES * 10

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
 * It delivers only while asked to (push-to-talk held, voice activation, the mic test), 10 ms at a
 * time; otherwise it reads 100 ms at a time and drops it, so that nothing queues up: what a press
 * sends starts at the press.
 */
export class NativeMicrophone {
  private readonly chunk = new Int16Array(CHUNK_SAMPLES)
  private reading = false
  /** When reading last started (performance.now() ms). */
  private readingSince = 0
  private ended = false

  private constructor(
    private readonly input: PortAudioInput,
    private readonly options: NativeMicrophoneOptions
  ) {
    void this.readLoop()
  }

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

  /** Whether frames are wanted now; while not, what the microphone hears is dropped. */
  setReading(on: boolean): void {
    if (this.ended || on === this.reading) return
    this.reading = on
    if (on) this.readingSince = performance.now()
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
    try {
      while (!this.ended) {
        const wanted = this.reading
        const result = await this.input.read((wanted ? CHUNK_SAMPLES : IDLE_READ_SAMPLES) * 2)
        if (this.ended) return
        if (result.err) return this.end(result.err.message)
        if (result.finished || !result.buf) return this.end('the microphone closed')
        if (!this.reading) continue
        if (wanted) {
          this.onData(result.buf, 0)
        } else {
          // Pressed during a long read: only its end, whole 10 ms chunks heard since the press.
          const since = ((performance.now() - this.readingSince) * NATIVE_CAPTURE_RATE) / 1000
          const fresh = Math.min(result.buf.length >> 1, Math.floor(since / CHUNK_SAMPLES) * CHUNK_SAMPLES)
          this.onData(result.buf, result.buf.length - fresh * 2)
        }
      }
    } catch (error) {
      this.end(error instanceof Error ? error.message : String(error))
    }
  }

  private onData(data: Buffer, from: number): void {
    const chunk = this.chunk
    let offset = from
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
