import { OpusEncoder } from '../codec/opus-wasm'
import { StreamResampler } from '../codec/speex-resampler'
import { monotonicClock, type Clock } from '../time/scheduler'
import { SilenceGate } from './silence-gate'
import { STEAM_CODEC_RATE } from './speaker-decoder'

export const FRAME_SAMPLES = STEAM_CODEC_RATE / 50
export const FRAME_MS = 20
/** How long recording goes on after stopVoiceRecording, as Steam's does, to keep word endings. */
export const TAIL_FRAMES = 12
/** A microphone that stops delivering (unplugged, capture stopped) must not hold the tail open. */
export const TAIL_TIMEOUT_MS = TAIL_FRAMES * FRAME_MS + 500
/** Encoded frames kept for getVoice; past this (nobody reading) the oldest are dropped. */
const QUEUE_FRAMES = 64
const MAX_OPUS_FRAME_BYTES = 1275
/** Microphone audio is resampled this much at a time. */
const CHUNK_SAMPLES = 2048
/**
 * Gated silence inside a talk spurt is sent as a count (Steam's silence opcode) so the
 * receiver keeps the speaker's timing; longer pauses than this are a break, not a pause.
 */
export const MAX_SILENCE_SAMPLES = STEAM_CODEC_RATE

const SLOT_FRAME = 0
const SLOT_SILENCE = 1

export type RecorderState = 'idle' | 'recording' | 'tail' | 'ending'

/**
 * The capture half of the embedded Steam Voice: microphone → 24 kHz → 20 ms frames → silence
 * gate → Opus, into a queue that getVoice drains. Audio is pushed in as the microphone delivers
 * it, and each frame is encoded the moment its last sample arrives, so nothing waits for a poll.
 */
export class VoiceRecorder {
  state: RecorderState = 'idle'
  /** Frames completed (sent or gated) since the owner last looked: a packet may be ready. */
  framesCompleted = 0
  private resampler: StreamResampler | null = null
  private resamplerRate = STEAM_CODEC_RATE
  // In-band FEC tuned for 10% loss: each frame carries a coarse copy of the one before, which a
  // receiver uses when exactly that one is lost. Decoders that ignore it lose nothing.
  private readonly encoder = new OpusEncoder(STEAM_CODEC_RATE, { packetLossPercent: 10 })
  private readonly gate = new SilenceGate()
  private readonly frame = new Int16Array(FRAME_SAMPLES)
  private frameFill = 0
  private tailLeft = 0
  private stoppedAt = 0
  private sequence = 0
  /** Set once the stream's end marker must go out (after the tail). */
  endPending = false

  /** Silent samples since the last sent frame of this spurt (0 before its first frame). */
  private pendingSilence = 0
  private spurtStarted = false

  // The queue: fixed slots, each a frame (bytes, length, sequence, capture time) or a silence run.
  private readonly slots = Array.from({ length: QUEUE_FRAMES }, () => new Uint8Array(MAX_OPUS_FRAME_BYTES))
  private readonly slotKind = new Uint8Array(QUEUE_FRAMES)
  private readonly slotLength = new Uint16Array(QUEUE_FRAMES)
  private readonly slotValue = new Uint16Array(QUEUE_FRAMES)
  private readonly slotCapturedAt = new Float64Array(QUEUE_FRAMES)
  private head = 0
  queued = 0
  droppedFrames = 0
  sentFrames = 0
  gatedFrames = 0

  constructor(private readonly clock: Clock = monotonicClock) {}

  start(): void {
    if (this.state === 'recording') return
    if (this.state === 'idle') {
      this.frameFill = 0
      this.gate.reset()
      this.pendingSilence = 0
      this.spurtStarted = false
    }
    this.state = 'recording'
    this.endPending = false
  }

  stop(): void {
    if (this.state !== 'recording') return
    this.state = 'tail'
    this.tailLeft = TAIL_FRAMES
    this.stoppedAt = this.clock()
  }

  /**
   * Microphone audio at its own rate, `count` samples from `offset`, the last of them captured at
   * `endedAt` (ms on the recorder's clock). Ignored unless recording: a take starts with the
   * present, never a backlog.
   */
  record(samples: Int16Array, offset: number, count: number, sampleRate: number, endedAt = this.clock()): void {
    if (this.state !== 'recording' && this.state !== 'tail') return
    if (sampleRate !== STEAM_CODEC_RATE && sampleRate !== this.resamplerRate) {
      this.resampler?.free()
      this.resampler = new StreamResampler(sampleRate, STEAM_CODEC_RATE, CHUNK_SAMPLES)
      this.resamplerRate = sampleRate
      this.frameFill = 0
    }
    const msPerSample = 1000 / sampleRate
    for (let done = 0; done < count; done += CHUNK_SAMPLES) {
      const chunk = Math.min(CHUNK_SAMPLES, count - done)
      // When this chunk's samples were captured: it ends `count - done - chunk` samples before the last.
      const chunkEnd = endedAt - (count - done - chunk) * msPerSample
      const chunkStart = chunkEnd - chunk * msPerSample
      if (sampleRate === STEAM_CODEC_RATE) {
        this.frameUp(samples, offset + done, chunk, chunkStart, chunkEnd)
      } else {
        const resampler = this.resampler!
        const produced = resampler.process(samples, offset + done, chunk)
        this.frameUp(resampler.heap(), resampler.outputOffset(), produced, chunkStart, chunkEnd)
      }
      if (this.state !== 'recording' && this.state !== 'tail') return
    }
  }

  /** Ends a tail the microphone has stopped feeding (unplugged, capture stopped). */
  poll(): void {
    if (this.state !== 'tail' || this.clock() - this.stoppedAt <= TAIL_TIMEOUT_MS) return
    if (this.frameFill > 0) {
      this.frame.fill(0, this.frameFill)
      this.frameFill = FRAME_SAMPLES
      this.completeFrame(this.clock() - FRAME_MS)
    }
    if (this.state === 'tail') this.finishTail()
  }

  /** 24 kHz samples into frames; each frame's first sample was captured about `FRAME_MS` before its last. */
  private frameUp(samples: Int16Array, start: number, count: number, startedAt: number, endedAt: number): void {
    const msPerOutput = count > 0 ? (endedAt - startedAt) / count : 0
    for (let i = 0; i < count; i++) {
      this.frame[this.frameFill++] = samples[start + i]!
      if (this.frameFill === FRAME_SAMPLES) {
        this.completeFrame(startedAt + (i + 1) * msPerOutput - FRAME_MS)
        if (this.state !== 'recording' && this.state !== 'tail') return
      }
    }
  }

  private completeFrame(capturedAt: number): void {
    this.frameFill = 0
    if (this.gate.admit(this.frame)) {
      if (this.pendingSilence > 0) this.enqueueSilence()
      this.enqueue(capturedAt)
      this.spurtStarted = true
    } else {
      this.gatedFrames++
      if (this.spurtStarted) this.pendingSilence = Math.min(MAX_SILENCE_SAMPLES, this.pendingSilence + FRAME_SAMPLES)
    }
    if (this.state === 'tail' && --this.tailLeft <= 0) this.finishTail()
    this.framesCompleted++
  }

  private enqueue(capturedAt: number): void {
    const length = this.encoder.encode(this.frame)
    const slot = this.claimSlot()
    const target = this.slots[slot]!
    const packet = this.encoder.packet()
    for (let i = 0; i < length; i++) target[i] = packet[i]!
    this.slotKind[slot] = SLOT_FRAME
    this.slotLength[slot] = length
    this.slotValue[slot] = this.sequence
    this.slotCapturedAt[slot] = capturedAt
    this.sequence = (this.sequence + 1) & 0xffff
    this.sentFrames++
  }

  private enqueueSilence(): void {
    const slot = this.claimSlot()
    this.slotKind[slot] = SLOT_SILENCE
    this.slotLength[slot] = 0
    this.slotValue[slot] = this.pendingSilence
    this.slotCapturedAt[slot] = NaN
    this.pendingSilence = 0
  }

  /** The next free slot, dropping the oldest entry when nobody has read for a while. */
  private claimSlot(): number {
    if (this.queued === QUEUE_FRAMES) {
      this.head = (this.head + 1) % QUEUE_FRAMES
      this.queued--
      this.droppedFrames++
    }
    const slot = (this.head + this.queued) % QUEUE_FRAMES
    this.queued++
    return slot
  }

  private finishTail(): void {
    this.state = 'ending'
    // Only a stream that sent something needs closing on the other side.
    this.endPending = this.sequence !== 0
  }

  /** Called once the end marker has gone out: the next recording is a new stream. */
  ended(): void {
    this.state = 'idle'
    this.endPending = false
    this.sequence = 0
    this.encoder.reset()
  }

  /** Bytes the queue's `index`th entry takes in a packet: a frame's Opus bytes, or -1 for silence. */
  peekLength(index: number): number {
    const slot = (this.head + index) % QUEUE_FRAMES
    return this.slotKind[slot] === SLOT_SILENCE ? -1 : this.slotLength[slot]!
  }

  /** When the queue's `index`th entry was captured (ms, recorder's clock); NaN for silence. */
  peekCapturedAt(index: number): number {
    return this.slotCapturedAt[(this.head + index) % QUEUE_FRAMES]!
  }

  /** Removes the oldest entry, handing it to `frame` or `silence`. */
  shift(
    frame: (sequence: number, bytes: Uint8Array, length: number) => void,
    silence: (samples: number) => void
  ): void {
    const slot = this.head
    if (this.slotKind[slot] === SLOT_SILENCE) silence(this.slotValue[slot]!)
    else frame(this.slotValue[slot]!, this.slots[slot]!, this.slotLength[slot]!)
    this.head = (this.head + 1) % QUEUE_FRAMES
    this.queued--
  }

  free(): void {
    this.encoder.free()
    this.resampler?.free()
  }
}
