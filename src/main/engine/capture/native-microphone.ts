import type { Readable } from 'node:stream'

/** The microphone as main opens it: the system's default input, mono, 16-bit, 10 ms at a time. */
export const NATIVE_CAPTURE_RATE = 48000
const CHUNK_SAMPLES = NATIVE_CAPTURE_RATE / 100

export interface NativeMicrophoneOptions {
  /** 10 ms of the microphone, as it comes (the array is reused: copy what must outlive the call). */
  onSamples(samples: Int16Array, count: number, sampleRate: number): void
  /** The device stopped delivering (unplugged, taken away, or an error): what happened, in a line. */
  onEnded(detail: string): void
}

type PortAudioModule = typeof import('naudiodon2')
type PortAudioStream = ReturnType<PortAudioModule['AudioIO']> & Readable

let portAudio: Promise<PortAudioModule | Error> | null = null

/** naudiodon2 (PortAudio), loaded once on first use; an Error says why it is not here. */
function loadPortAudio(): Promise<PortAudioModule | Error> {
  portAudio ??= import('naudiodon2').then(
    // A CommonJS package: its exports arrive as the default export.
    (module) => ((module as { default?: PortAudioModule }).default ?? module) as PortAudioModule,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error)))
  )
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
  private ended = false

  private constructor(
    private readonly stream: PortAudioStream,
    private readonly options: NativeMicrophoneOptions
  ) {
    stream.on('data', (data: Buffer) => this.onData(data))
    stream.on('error', (error: Error) => this.end(error.message))
    stream.on('close', () => this.end('the microphone closed'))
    stream.pause()
  }

  /** Opens the default input; an Error (never thrown) when there is none or PortAudio is missing. */
  static async open(options: NativeMicrophoneOptions): Promise<NativeMicrophone | Error> {
    const module = await loadPortAudio()
    if (module instanceof Error) return new Error(`PortAudio is not available: ${module.message}`)
    try {
      const stream = module.AudioIO({
        inOptions: {
          channelCount: 1,
          sampleFormat: module.SampleFormat16Bit,
          sampleRate: NATIVE_CAPTURE_RATE,
          deviceId: -1,
          closeOnError: true,
          framesPerBuffer: CHUNK_SAMPLES,
          maxQueue: 2,
          highwaterMark: CHUNK_SAMPLES * 2
        }
      }) as PortAudioStream
      // naudiodon logs an error itself unless someone listens; ours go to onEnded.
      stream.removeAllListeners('error')
      const microphone = new NativeMicrophone(stream, options)
      stream.start()
      return microphone
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  /** Whether frames are wanted now; while not, nothing is read. */
  setReading(on: boolean): void {
    if (on === this.reading || this.ended) return
    this.reading = on
    if (on) this.stream.resume()
    else this.stream.pause()
  }

  close(): void {
    if (this.ended) return
    this.ended = true
    this.stream.removeAllListeners('data')
    // quit() is async underneath (it waits for PortAudio to stop); its failure has nobody to tell.
    void Promise.resolve()
      .then(() => this.stream.quit())
      .catch(() => {})
  }

  private onData(data: Buffer): void {
    if (!this.reading) return
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
    this.options.onEnded(detail)
  }
}
