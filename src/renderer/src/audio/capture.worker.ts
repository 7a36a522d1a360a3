// The microphone, read off the page's main thread and off any AudioContext: a
// MediaStreamTrackProcessor hands this worker the capture thread's own 10 ms chunks, as they
// come. (A capture worklet is fed by its context's output callback instead: on PulseAudio that
// came in bursts, frames 0 to 72 ms apart, and the listener's queue had to cover the bursts.)
// It makes 20 ms capture frames (binary, see capture-frame.ts) and, while push-to-talk is open,
// posts them to main's port, with the level for the page's meter.
import { CAPTURE_FRAME_HEADER_BYTES, writeCaptureHeader } from '@shared/capture-frame'
import type { CaptureLevel, CaptureWorkerControl } from './worklet-messages'

const FRAME_MS = 20
const POOL_SIZE = 8

let port: MessagePort | null = null
let sending = false
let rate = 0
let frameSamples = 0
let frameBytes = 0
const pool: ArrayBuffer[] = []
let buffer: ArrayBuffer | null = null
let samples: Int16Array | null = null
let filled = 0
let energy = 0
let chunk = new Float32Array(0)
const level: CaptureLevel = { levelDbfs: -100 }

function newBuffer(): ArrayBuffer {
  const fresh = new ArrayBuffer(frameBytes)
  writeCaptureHeader(fresh, rate)
  return fresh
}

function adoptRate(sampleRate: number): void {
  if (sampleRate === rate) return
  rate = sampleRate
  frameSamples = Math.round((rate * FRAME_MS) / 1000)
  frameBytes = CAPTURE_FRAME_HEADER_BYTES + frameSamples * 2
  pool.length = 0
  for (let i = 0; i < POOL_SIZE; i++) pool.push(newBuffer())
  buffer = pool.pop()!
  samples = new Int16Array(buffer, CAPTURE_FRAME_HEADER_BYTES, frameSamples)
  filled = 0
  energy = 0
}

function endFrame(): void {
  // The level goes to the page's meter only while it shows (while sending), and once more after.
  if (sending || level.levelDbfs > -100) {
    const rms = Math.sqrt(energy / frameSamples)
    level.levelDbfs = sending && rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100
    self.postMessage(level)
  }
  if (sending && port && buffer) {
    port.postMessage(buffer, [buffer])
    buffer = pool.pop() ?? newBuffer()
    samples = new Int16Array(buffer, CAPTURE_FRAME_HEADER_BYTES, frameSamples)
  }
  filled = 0
  energy = 0
}

async function read(readable: ReadableStream<AudioData>): Promise<void> {
  const reader = readable.getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done || !value) return
    // Read as it comes, so a press starts from the present; used only while push-to-talk is open.
    if (!sending && level.levelDbfs <= -100) {
      value.close()
      continue
    }
    adoptRate(value.sampleRate)
    const count = value.numberOfFrames
    if (chunk.length < count) chunk = new Float32Array(count)
    value.copyTo(chunk, { planeIndex: 0, format: 'f32-planar' })
    value.close()
    for (let i = 0; i < count; i++) {
      const sample = chunk[i]!
      energy += sample * sample
      samples![filled++] = sample >= 1 ? 32767 : sample <= -1 ? -32768 : Math.round(sample * 32767)
      if (filled === frameSamples) endFrame()
    }
  }
}

self.onmessage = (event: MessageEvent<CaptureWorkerControl>) => {
  const message = event.data
  if (message.type === 'start') {
    port = message.port
    // Sent buffers come back on the same port (browser host); Electron's main keeps them.
    port.onmessage = (returned: MessageEvent<ArrayBuffer>) => {
      if (returned.data instanceof ArrayBuffer && returned.data.byteLength === frameBytes) pool.push(returned.data)
    }
    void read(message.readable).catch(() => self.postMessage({ ended: true }))
  } else if (message.type === 'sending') {
    // A take starts with a fresh frame, from the present.
    if (message.on && !sending) {
      filled = 0
      energy = 0
    }
    sending = message.on
  }
}
