import type { Logger } from '../logging/logger'
import { NativeMicrophone } from './native-microphone'
import { NoiseSuppressor } from './noise-suppressor'

const OPEN_ATTEMPTS = 3
const OPEN_RETRY_MS = 500

/** Who records the microphone: the page (through the browser), main itself, or the Steam client. */
export type MicrophoneOwner = 'page' | 'app' | 'steam'

/** The settings that decide where the microphone is captured. */
export interface MicrophoneChoice {
  deviceId: string
  echoCancellation: boolean
  autoGainControl: boolean
  noiseSuppression: boolean
}

export interface AppMicrophoneOptions {
  /** False: main never opens the microphone itself (--microphone page), and the page always does. */
  enabled: boolean
  /** 10 ms of the microphone, as main captured it (denoised when asked). */
  onSamples(samples: Int16Array, count: number, sampleRate: number): void
  /** The owner changed (main opened the microphone, or gave it back to the page). */
  changed(): void
  logger: Logger
}

/**
 * Whether main captures the microphone itself (LAN mode), and the capture when it does. Main takes
 * the system's default microphone when the settings ask for nothing only the browser does (echo
 * cancellation, automatic gain, a particular device): no page, no browser processing on the send
 * side. Noise suppression is RNNoise here. Anything else, or a microphone main cannot open or that
 * stops, goes back to the page, which has the device list, hot-plug and the "no microphone" states.
 */
export class AppMicrophone {
  private microphone: NativeMicrophone | null = null
  private suppressor: NoiseSuppressor | null = null
  private denoise = false
  private reading = false
  /** Each apply() supersedes the ones before it (they are async). */
  private generation = 0
  private closed = false

  constructor(private readonly options: AppMicrophoneOptions) {}

  get owner(): MicrophoneOwner {
    return this.microphone ? 'app' : 'page'
  }

  static wants(choice: MicrophoneChoice): boolean {
    return choice.deviceId === 'default' && !choice.echoCancellation && !choice.autoGainControl
  }

  /** Follows the settings: opens main's microphone when they allow it, gives it back when not. */
  async apply(choice: MicrophoneChoice): Promise<void> {
    this.denoise = choice.noiseSuppression
    const generation = ++this.generation
    if (!this.options.enabled || !AppMicrophone.wants(choice)) return this.release()
    if (this.microphone) return
    if (this.denoise && !this.suppressor) {
      this.suppressor = await NoiseSuppressor.create().catch((error: Error) => {
        this.options.logger.warn(`noise suppression is not available in main: ${error.message}`)
        return null
      })
    }
    if (generation !== this.generation || this.closed) return
    const options = {
      onSamples: (samples: Int16Array, count: number, rate: number) => {
        if (this.denoise) this.suppressor?.process(samples, count)
        this.options.onSamples(samples, count, rate)
      },
      onEnded: (detail: string) => {
        this.options.logger.warn(`the microphone main opened stopped (${detail}); the page captures it now`)
        this.release()
      }
    }
    // A sound server under load can refuse a moment: a few tries before the page takes over.
    let opened = await NativeMicrophone.open(options)
    for (let attempt = 1; opened instanceof Error && attempt < OPEN_ATTEMPTS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS))
      if (generation !== this.generation || this.closed) return
      opened = await NativeMicrophone.open(options)
    }
    if (opened instanceof Error) {
      this.options.logger.info(`main cannot open the microphone (${opened.message}); the page captures it`)
      return
    }
    // A newer choice came while this one opened: it decides.
    if (generation !== this.generation || this.closed || this.microphone) return opened.close()
    this.microphone = opened
    opened.setReading(this.reading)
    this.options.logger.info('the microphone is captured by main (PortAudio), not by the page')
    this.options.changed()
  }

  /** Whether frames are wanted (push-to-talk held or draining, voice activation, the mic test). */
  setReading(on: boolean): void {
    this.reading = on
    this.microphone?.setReading(on)
  }

  close(): void {
    this.closed = true
    this.generation++
    this.release()
    this.suppressor?.close()
    this.suppressor = null
  }

  private release(): void {
    if (!this.microphone) return
    this.microphone.close()
    this.microphone = null
    if (!this.closed) this.options.changed()
  }
}
