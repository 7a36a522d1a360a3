import type { AudioRoute } from '@shared/contract'
import { openAudioStream, type AudioStream } from './audio-stream'
import CaptureWorker from './capture.worker.ts?worker'
import { denoisedTrack, type DenoisedTrack } from './rnnoise-track'
import type { CaptureLevel, CaptureWorkerControl } from './worklet-messages'

/** The microphone's processing (the settings of the same names). */
export interface CaptureProcessing {
  echoCancellation: boolean
  noiseSuppression: boolean
  autoGainControl: boolean
  /** RNNoise after the browser's processing. */
  strongNoiseSuppression: boolean
}

export interface CaptureOptions {
  deviceId: string
  processing: CaptureProcessing
  openRoute: () => Promise<AudioRoute>
  onLevel(levelDbfs: number): void
  /** The microphone stopped delivering (unplugged, or taken away). */
  onEnded(): void
}

type TrackProcessor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<AudioData> }

/** Whether this browser can hand microphone audio to a worker (Chromium: Electron, Chrome, Edge). */
export const canCapture = (): boolean => 'MediaStreamTrackProcessor' in globalThis

/**
 * The microphone with the browser's echo cancellation and noise suppression, read by the capture
 * worker as the capture thread delivers it; its 20 ms frames go straight to main (never through
 * this thread) while push-to-talk is open. Frames are at the device's own rate; main resamples.
 */
export class Capture {
  private constructor(
    private readonly media: MediaStream,
    private readonly denoised: DenoisedTrack | null,
    private readonly worker: Worker,
    private readonly stream: AudioStream
  ) {}

  static async start(options: CaptureOptions): Promise<Capture> {
    if (!canCapture()) {
      throw new Error('this browser cannot capture the microphone for Parley (use the desktop app, Chrome or Edge)')
    }
    const media = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(options.deviceId !== 'default' ? { deviceId: { exact: options.deviceId } } : {}),
        echoCancellation: options.processing.echoCancellation,
        noiseSuppression: options.processing.noiseSuppression,
        autoGainControl: options.processing.autoGainControl,
        channelCount: 1
      }
    })
    const microphone = media.getAudioTracks()[0]!
    microphone.addEventListener('ended', () => options.onEnded())
    const denoised = options.processing.strongNoiseSuppression
      ? await denoisedTrack(media).catch((error: unknown) => {
          for (const track of media.getTracks()) track.stop()
          throw error
        })
      : null
    const Processor = (globalThis as unknown as { MediaStreamTrackProcessor: TrackProcessor }).MediaStreamTrackProcessor
    const { readable } = new Processor({ track: denoised?.track ?? microphone })
    const worker = new CaptureWorker({ name: 'parley-capture' })
    worker.onmessage = (event: MessageEvent<CaptureLevel | { ended: true }>) => {
      if ('ended' in event.data) options.onEnded()
      else options.onLevel(event.data.levelDbfs)
    }
    const stream = await openAudioStream('capture', options.openRoute)
    worker.postMessage({ type: 'start', readable, port: stream.port } satisfies CaptureWorkerControl, [
      readable as unknown as Transferable,
      stream.port
    ])
    return new Capture(media, denoised, worker, stream)
  }

  /** Frames go to main only while this is on (push-to-talk held, or its tail draining). */
  setSending(on: boolean): void {
    this.worker.postMessage({ type: 'sending', on } satisfies CaptureWorkerControl)
  }

  async stop(): Promise<void> {
    for (const track of this.media.getTracks()) track.stop()
    await this.denoised?.close()
    this.worker.terminate()
    this.stream.close()
  }
}
