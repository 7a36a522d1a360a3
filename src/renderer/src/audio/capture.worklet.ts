import { CAPTURE_FRAME_HEADER_BYTES, writeCaptureHeader } from '@shared/capture-frame'
import type {} from './audio-worklet-scope'
import { CAPTURE_PROCESSOR, type CaptureControl, type CaptureLevel } from './worklet-messages'

const FRAME_MS = 20
const POOL_SIZE = 8

/**
 * The microphone in 20 ms capture frames (binary, see capture-frame.ts), posted straight to
 * main's port while push-to-talk is open; the level every frame either way, for the meter.
 * Frame buffers come back once sent, so capture does not allocate as it runs.
 */
class CaptureProcessor extends AudioWorkletProcessor {
  private readonly frameSamples = Math.round((sampleRate * FRAME_MS) / 1000)
  private readonly frameBytes = CAPTURE_FRAME_HEADER_BYTES + this.frameSamples * 2
  private readonly pool: ArrayBuffer[] = []
  private buffer: ArrayBuffer
  private samples: Int16Array
  private filled = 0
  private energy = 0
  private stream: MessagePort | null = null
  private sending = false
  private readonly level: CaptureLevel = { levelDbfs: -100 }

  constructor() {
    super()
    for (let i = 0; i < POOL_SIZE; i++) this.pool.push(this.newBuffer())
    this.buffer = this.pool.pop()!
    this.samples = new Int16Array(this.buffer, CAPTURE_FRAME_HEADER_BYTES, this.frameSamples)
    this.port.onmessage = (event: MessageEvent<CaptureControl>) => {
      const message = event.data
      if (message.type === 'sending') this.sending = message.on
      else if (message.type === 'stream') {
        this.stream = message.port
        // Sent buffers come back on the same port (browser host); Electron's main keeps them.
        this.stream.onmessage = (returned: MessageEvent<ArrayBuffer>) => {
          if (returned.data instanceof ArrayBuffer && returned.data.byteLength === this.frameBytes) {
            this.pool.push(returned.data)
          }
        }
      }
    }
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0]
    if (!input) return true
    for (let i = 0; i < input.length; i++) {
      const value = input[i]!
      this.energy += value * value
      this.samples[this.filled++] = value >= 1 ? 32767 : value <= -1 ? -32768 : Math.round(value * 32767)
      if (this.filled === this.frameSamples) this.endFrame()
    }
    return true
  }

  private endFrame(): void {
    const rms = Math.sqrt(this.energy / this.frameSamples)
    this.level.levelDbfs = rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100
    this.port.postMessage(this.level)
    if (this.sending && this.stream) {
      this.stream.postMessage(this.buffer, [this.buffer])
      this.buffer = this.pool.pop() ?? this.newBuffer()
      this.samples = new Int16Array(this.buffer, CAPTURE_FRAME_HEADER_BYTES, this.frameSamples)
    }
    this.filled = 0
    this.energy = 0
  }

  private newBuffer(): ArrayBuffer {
    const buffer = new ArrayBuffer(this.frameBytes)
    writeCaptureHeader(buffer, sampleRate)
    return buffer
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor)
