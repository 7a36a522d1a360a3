import type {} from './audio-worklet-scope'
import { CAPTURE_PROCESSOR, type CaptureFrame } from './playback-messages'

const FRAME_MS = 20
const POOL_SIZE = 8

/**
 * The microphone in 20 ms frames of 16-bit PCM for the embedded Steam Voice. Buffers come back
 * from the page once sent, so capture does not allocate as it runs.
 */
class CaptureProcessor extends AudioWorkletProcessor {
  private readonly frameSamples = Math.round((sampleRate * FRAME_MS) / 1000)
  private readonly pool: Int16Array<ArrayBuffer>[] = []
  private frame: Int16Array<ArrayBuffer>
  private filled = 0
  private energy = 0

  constructor() {
    super()
    for (let i = 0; i < POOL_SIZE; i++) this.pool.push(new Int16Array(this.frameSamples))
    this.frame = this.pool.pop()!
    this.port.onmessage = (event: MessageEvent<Int16Array<ArrayBuffer>>) => {
      if (event.data instanceof Int16Array && event.data.length === this.frameSamples) this.pool.push(event.data)
    }
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0]
    if (!input) return true
    for (let i = 0; i < input.length; i++) {
      const value = input[i]!
      this.energy += value * value
      this.frame[this.filled++] = value >= 1 ? 32767 : value <= -1 ? -32768 : Math.round(value * 32767)
      if (this.filled === this.frameSamples) this.send()
    }
    return true
  }

  private send(): void {
    const rms = Math.sqrt(this.energy / this.frameSamples)
    const message: CaptureFrame = {
      samples: this.frame,
      levelDbfs: rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100
    }
    this.port.postMessage(message, [this.frame.buffer])
    this.frame = this.pool.pop() ?? new Int16Array(this.frameSamples)
    this.filled = 0
    this.energy = 0
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor)
