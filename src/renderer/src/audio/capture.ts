import { CAPTURE_PROCESSOR, type CaptureFrame } from './playback-messages'
import captureWorkletUrl from './capture.worklet.ts?worker&url'

export interface CaptureOptions {
  deviceId: string
  /** Each 20 ms frame; copy what you keep (the buffer goes back to the worklet's pool). */
  onFrame(samples: Int16Array<ArrayBuffer>, sampleRate: number): void
  onLevel(levelDbfs: number): void
}

/**
 * The microphone with the browser's echo cancellation and noise suppression, through the
 * capture worklet, in 20 ms frames of 16-bit PCM at the device's own rate (main resamples).
 */
export class Capture {
  private constructor(
    private readonly context: AudioContext,
    private readonly stream: MediaStream
  ) {}

  static async start(options: CaptureOptions): Promise<Capture> {
    const stream = await navigator.mediaDevices.getUserMedia({
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
    const source = context.createMediaStreamSource(stream)
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, { numberOfOutputs: 0 })
    node.port.onmessage = (event: MessageEvent<CaptureFrame>) => {
      const { samples, levelDbfs } = event.data
      options.onLevel(levelDbfs)
      options.onFrame(samples, context.sampleRate)
      // Back to the worklet's pool once sent (the call has copied it by now).
      node.port.postMessage(samples, [samples.buffer])
    }
    source.connect(node)
    await context.resume().catch(() => {})
    return new Capture(context, stream)
  }

  get suspended(): boolean {
    return this.context.state === 'suspended'
  }

  resume(): void {
    void this.context.resume()
  }

  async stop(): Promise<void> {
    for (const track of this.stream.getTracks()) track.stop()
    await this.context.close()
  }
}
