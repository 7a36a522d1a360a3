import { loadSpeexResampler } from '../codec/speex-resampler'
import { monotonicClock, type Clock } from '../time/scheduler'
import { PcmAccumulator } from './pcm-accumulator'
import { SpeakerDecoder, STEAM_CODEC_RATE, type DecodeStats } from './speaker-decoder'
import {
  MAX_DECOMPRESS_RATE,
  MIN_DECOMPRESS_RATE,
  type AvailableVoice,
  type CapturedVoice,
  type DecompressedVoice,
  type SteamVoice
} from './steam-voice'
import { parseVoicePacket, VoicePacketView, VoicePacketWriter } from './voice-packet'
import { splitSteamId } from '../../../shared/steam-id'
import { VoiceRecorder } from './voice-recorder'
import { EVoiceResult } from './voice-result'

/** Packets stay under this so that, wrapped by the wire protocol, they fit one UDP datagram. */
export const MAX_CAPTURED_PACKET_BYTES = 1000
/** Speakers whose decoder state is kept; the least recently heard beyond this is dropped. */
const MAX_SPEAKERS = 64

export interface EmbeddedSteamVoiceOptions {
  /** Our SteamID64 (in LAN mode, derived from our identity), written into every packet. */
  steamId: bigint
  /** The clock capture times and the recording tail are timed by (a simulated one offline). */
  clock?: Clock
}

export interface EmbeddedVoiceStats extends DecodeStats {
  packets: number
  badCrc: number
  corrupted: number
}

/**
 * Steam Voice without a Steam client: the same packet format (Opus inside), the same
 * recording, tail and result codes. LAN mode's voice backend.
 */
export class EmbeddedSteamVoice implements SteamVoice {
  readonly stats: EmbeddedVoiceStats = { packets: 0, frames: 0, concealed: 0, resets: 0, badCrc: 0, corrupted: 0 }
  private readonly recorder: VoiceRecorder
  private readonly writer: VoicePacketWriter
  private readonly view = new VoicePacketView()
  private readonly pcm = new PcmAccumulator(48000)
  private readonly speakers: SpeakerDecoder[] = []
  private useCounter = 0

  private readonly available: AvailableVoice = { result: EVoiceResult.NotRecording, buffer: 0 }
  private readonly captured: CapturedVoice
  private readonly decompressed: DecompressedVoice
  onVoiceAvailable: (() => void) | null = null

  private constructor(options: EmbeddedSteamVoiceOptions) {
    this.recorder = new VoiceRecorder(options.clock ?? monotonicClock)
    const { low, high } = splitSteamId(options.steamId)
    this.writer = new VoicePacketWriter(low, high, STEAM_CODEC_RATE)
    this.captured = { result: EVoiceResult.NotRecording, written: 0, buffer: this.writer.bytes, capturedAt: NaN }
    this.decompressed = {
      result: EVoiceResult.NoData,
      size: 0,
      uncompressed: this.pcm.bytes,
      concealed: 0,
      ended: false
    }
  }

  /** Loads the codecs (wasm) first; after that every call is synchronous. */
  static async create(options: EmbeddedSteamVoiceOptions): Promise<EmbeddedSteamVoice> {
    await loadSpeexResampler()
    return new EmbeddedSteamVoice(options)
  }

  /**
   * Microphone audio as it is captured (any rate): while recording, each 20 ms frame is encoded
   * the moment it is complete, and onVoiceAvailable says a packet can go. `endedAt` is when the
   * last of these samples was captured (ms, this backend's clock).
   */
  pushMicrophone(samples: Int16Array, offset: number, count: number, sampleRate: number, endedAt?: number): void {
    const before = this.recorder.framesCompleted
    this.recorder.record(samples, offset, count, sampleRate, endedAt)
    if (this.recorder.framesCompleted !== before) this.onVoiceAvailable?.()
  }

  /** Frames captured and sent, gated as silence, or dropped because nobody polled. */
  get captureStats(): { sent: number; gated: number; dropped: number } {
    return { sent: this.recorder.sentFrames, gated: this.recorder.gatedFrames, dropped: this.recorder.droppedFrames }
  }

  startVoiceRecording(): void {
    this.recorder.start()
  }

  stopVoiceRecording(): void {
    this.recorder.stop()
  }

  getVoiceOptimalSampleRate(): number {
    return STEAM_CODEC_RATE
  }

  getAvailableVoice(): AvailableVoice {
    this.pollRecorder()
    const bytes = this.plannedPacketBytes()
    this.available.buffer = bytes
    this.available.result = bytes > 0 ? EVoiceResult.OK : this.idleResult()
    return this.available
  }

  getVoice(): CapturedVoice {
    const recorder = this.recorder
    this.pollRecorder()
    if (recorder.queued === 0 && !recorder.endPending) {
      this.captured.result = this.idleResult()
      this.captured.written = 0
      return this.captured
    }
    const writer = this.writer
    writer.begin()
    this.captured.capturedAt = recorder.queued > 0 ? recorder.peekCapturedAt(0) : NaN
    while (recorder.queued > 0 && writer.size + this.costOf(recorder.peekLength(0)) <= MAX_CAPTURED_PACKET_BYTES) {
      recorder.shift(this.addFrame, this.addSilence)
    }
    if (recorder.queued === 0 && recorder.endPending) {
      writer.addEnd()
      recorder.ended()
    }
    this.captured.written = writer.finish()
    this.captured.result = EVoiceResult.OK
    return this.captured
  }

  /** Ends a tail gone quiet, and once the tail has gone out entirely, stops recording for good. */
  private pollRecorder(): void {
    const recorder = this.recorder
    recorder.poll()
    if (recorder.state === 'ending' && recorder.queued === 0 && !recorder.endPending) recorder.ended()
  }

  private readonly addFrame = (sequence: number, bytes: Uint8Array, length: number): void => {
    this.writer.addFrame(sequence, bytes, length)
  }

  private readonly addSilence = (samples: number): void => {
    this.writer.addSilence(samples)
  }

  /** What a queue entry adds to the packet being written (-1 marks a silence run). */
  private costOf(length: number): number {
    return length < 0 ? 3 : this.writer.costOfFrame(length)
  }

  /** What the next getVoice will write, without writing it. */
  private plannedPacketBytes(): number {
    const recorder = this.recorder
    if (recorder.queued === 0 && !recorder.endPending) return 0
    // Mirrors getVoice's writing: header, then entries while they fit, the end marker, the CRC.
    let size = 11 + 4
    let chunkOpen = false
    let i = 0
    for (; i < recorder.queued; i++) {
      const length = recorder.peekLength(i)
      const cost = length < 0 ? 3 : (chunkOpen ? 0 : 3) + 4 + length
      if (size + cost > MAX_CAPTURED_PACKET_BYTES) break
      size += cost
      chunkOpen = length >= 0
    }
    if (i === recorder.queued && recorder.endPending) size += (chunkOpen ? 0 : 3) + 2
    return size
  }

  private idleResult(): EVoiceResult {
    return this.recorder.state === 'idle' ? EVoiceResult.NotRecording : EVoiceResult.NoData
  }

  decompressVoice(voice: Uint8Array, sampleRate: number, length = voice.length): DecompressedVoice {
    const out = this.decompressed
    out.size = 0
    out.concealed = 0
    out.ended = false
    if (!Number.isInteger(sampleRate) || sampleRate < MIN_DECOMPRESS_RATE || sampleRate > MAX_DECOMPRESS_RATE) {
      out.result = EVoiceResult.UnsupportedCodec
      return out
    }
    this.stats.packets++
    const parsed = parseVoicePacket(voice, length, this.view)
    if (parsed !== 'ok') {
      if (parsed === 'bad-crc') this.stats.badCrc++
      else this.stats.corrupted++
      out.result = EVoiceResult.DataCorrupted
      return out
    }
    const speaker = this.speakerFor(this.view.steamIdLow, this.view.steamIdHigh, sampleRate)
    this.pcm.reset()
    const outcome = speaker.decode(voice, this.view, this.pcm)
    out.concealed = speaker.lastConcealed
    out.ended = speaker.lastEnded
    if (outcome === 'corrupted') {
      this.stats.corrupted++
      out.result = EVoiceResult.DataCorrupted
      return out
    }
    out.uncompressed = this.pcm.bytes
    out.size = this.pcm.length * 2
    out.result = out.size > 0 ? EVoiceResult.OK : EVoiceResult.NoData
    return out
  }

  /** The decoded samples of the last decompressVoice, as int16 (same memory as `uncompressed`). */
  lastPcm(): Int16Array {
    return this.pcm.samples
  }

  /** Drops a speaker's decoder state (they left). */
  forgetSpeaker(steamId: bigint): void {
    const { low, high } = splitSteamId(steamId)
    const index = this.speakers.findIndex((s) => s.steamIdLow === low && s.steamIdHigh === high)
    if (index >= 0) this.speakers.splice(index, 1)[0]!.free()
  }

  private speakerFor(low: number, high: number, rate: number): SpeakerDecoder {
    const speakers = this.speakers
    for (let i = 0; i < speakers.length; i++) {
      const speaker = speakers[i]!
      if (speaker.steamIdLow === low && speaker.steamIdHigh === high) {
        speaker.lastUsed = ++this.useCounter
        if (speaker.outputRate === rate) return speaker
        // A new output rate: new decoder state, at once.
        speaker.free()
        speakers[i] = new SpeakerDecoder(low, high, rate, this.stats)
        speakers[i]!.lastUsed = this.useCounter
        return speakers[i]!
      }
    }
    if (speakers.length >= MAX_SPEAKERS) {
      let oldest = 0
      for (let i = 1; i < speakers.length; i++) if (speakers[i]!.lastUsed < speakers[oldest]!.lastUsed) oldest = i
      speakers.splice(oldest, 1)[0]!.free()
    }
    const created = new SpeakerDecoder(low, high, rate, this.stats)
    created.lastUsed = ++this.useCounter
    speakers.push(created)
    return created
  }

  free(): void {
    this.recorder.free()
    for (const speaker of this.speakers) speaker.free()
    this.speakers.length = 0
  }
}
