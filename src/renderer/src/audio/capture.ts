import type { AudioRoute } from '@shared/contract'
import { openAudioStream, type AudioStream } from './audio-stream'
import captureWorkletUrl from './capture.worklet.ts?worker&url'
import { CAPTURE_PROCESSOR, type CaptureControl, type CaptureLevel } from './worklet-messages'

export interface CaptureOptions {
  deviceId: string
  openRoute: () => Promise<AudioRoute>
  onLevel(levelDbfs: number): void
}

/**
 * The microphone with the browser's echo cancellation and noise suppression, through the
 * capture worklet, whose 20 ms frames go straight to main (never through this thread) while
 * push-to-talk is open. Frames are at the device's own rate; main resamples.
 */
export class Capture {
  private constructor(
    private readonly context: AudioContext,
    private readonly media: MediaStream,
    private readonly node: AudioWorkletNode,
    private readonly stream: AudioStream
  ) {}

  static async start(options: CaptureOptions): Promise<Capture> {
    const media = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(options.deviceId !== 'default' ? { deviceId: { exact: options.deviceId } } : {}),
        echoCancellation: true,
        noiseSuppression: true,
        // Off: its slow gain ramps fight the silence gate, which decides by level what is speech.
        autoGainControl: false,
        channelCount: 1
      }
    })
    const context = new AudioContext({ latencyHint: 'interactive' })
    await context.audioWorklet.addModule(captureWorkletUrl)
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, { numberOfOutputs: 0 })
    node.port.onmessage = (event: MessageEvent<CaptureLevel>) => options.onLevel(event.data.levelDbfs)
    const stream = await openAudioStream('capture', options.openRoute)
    node.port.postMessage({ type: 'stream', port: stream.port } satisfies CaptureControl, [stream.port])
    context.createMediaStreamSource(media).connect(node)
    await context.resume().catch(() => {})
    return new Capture(context, media, node, stream)
  }

  /** Frames go to main only while this is on (push-to-talk held, or its tail draining). */
  setSending(on: boolean): void {
    this.node.port.postMessage({ type: 'sending', on } satisfies CaptureControl)
  }

  resume(): void {
    void this.context.resume()
  }

  async stop(): Promise<void> {
    for (const track of this.media.getTracks()) track.stop()
    this.stream.close()
    await this.context.close()
  }
}
