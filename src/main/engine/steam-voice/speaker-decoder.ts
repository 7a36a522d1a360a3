import { CubicResampler } from '../../../shared/cubic-resampler'
import { OpusDecoder, type OpusRate } from '../codec/opus-wasm'
import type { PcmAccumulator } from './pcm-accumulator'
import { EVENT_END, EVENT_FRAME, EVENT_SILENCE, type VoicePacketView } from './voice-packet'

/** Gaps up to this many frames are concealed; longer ones start the stream afresh. */
export const MAX_CONCEALED_GAP = 10
/** Steam's codec rate: sequence and silence counts are in its 20 ms frames and samples. */
export const STEAM_CODEC_RATE = 24000
/** No packet decodes to more than this much audio (a guard against crafted silence counts). */
export const MAX_PACKET_AUDIO_SECONDS = 2

/** Opus's own output rates that decompressVoice's range (11025 to 48000) can use. */
const DECODE_RATES: readonly OpusRate[] = [12000, 16000, 24000, 48000]

/**
 * The rate Opus decodes at for a requested output rate: Opus's own rate where the request is one
 * (no resampling); otherwise the next one up, then one cubic resample down to the request. From
 * there the interpolation runs well below the signal's top (Steam voice stops at 12 kHz), and it
 * costs a few µs a frame where the Speex resampler cost twice the decoder (docs/voice-engine.md).
 */
export function decoderRateFor(outputRate: number): OpusRate {
  return DECODE_RATES.find((rate) => rate >= outputRate) ?? 48000
}

export interface DecodeStats {
  frames: number
  concealed: number
  resets: number
}

export type DecodeOutcome = 'ok' | 'corrupted'

/** One speaker's decoding state: Opus decoder, expected sequence, resampler. */
export class SpeakerDecoder {
  private opus: OpusDecoder
  private readonly resampler: CubicResampler | null
  /** The frame just decoded, copied out of wasm memory for the resampler (Opus's largest frame). */
  private readonly decoded = new Int16Array(5760)
  private expected = -1
  /** What the last decode concealed, and whether its packet ended the stream. */
  lastConcealed = 0
  lastEnded = false
  /** Fractional output samples owed by silence runs, carried between packets. */
  private silenceRemainder = 0
  lastUsed = 0

  constructor(
    readonly steamIdLow: number,
    readonly steamIdHigh: number,
    readonly outputRate: number,
    private readonly stats: DecodeStats
  ) {
    const codecRate = decoderRateFor(outputRate)
    this.opus = new OpusDecoder(codecRate)
    this.resampler = codecRate === outputRate ? null : new CubicResampler(codecRate, outputRate)
  }

  /** Decodes every event of a parsed packet into `out`; on 'corrupted', `out` is left as it was. */
  decode(bytes: Uint8Array, view: VoicePacketView, out: PcmAccumulator): DecodeOutcome {
    const limit = out.length + this.outputRate * MAX_PACKET_AUDIO_SECONDS
    const start = out.length
    this.lastConcealed = 0
    this.lastEnded = false
    for (let e = 0; e < view.eventCount; e++) {
      const kind = view.eventKind[e]
      if (kind === EVENT_FRAME) {
        const sequence = view.eventValue[e]!
        if (this.expected >= 0) {
          const gap = (sequence - this.expected) & 0xffff
          if (gap > 0 && gap <= MAX_CONCEALED_GAP) {
            // Guess all but the last lost frame; the last one this frame's in-band FEC may restore.
            for (let g = 0; g < gap - 1; g++) {
              if (!this.emit(this.opus.conceal(), out)) return this.fail(out, start)
              this.stats.concealed++
              this.lastConcealed++
            }
            if (!this.emit(this.opus.recover(bytes, view.frameOffset[e], view.frameLength[e]), out)) {
              return this.fail(out, start)
            }
            this.stats.concealed++
            this.lastConcealed++
          } else if (gap !== 0) {
            // Backwards means their encoder restarted; far forwards means too much is lost to conceal.
            this.restart()
            this.stats.resets++
          }
        }
        if (!this.emit(this.opus.decode(bytes, view.frameOffset[e], view.frameLength[e]), out)) {
          return this.fail(out, start)
        }
        this.stats.frames++
        this.expected = (sequence + 1) & 0xffff
      } else if (kind === EVENT_SILENCE) {
        const exact = (view.eventValue[e]! * this.outputRate) / STEAM_CODEC_RATE + this.silenceRemainder
        const whole = Math.floor(exact)
        this.silenceRemainder = exact - whole
        out.appendSilence(whole)
      } else if (kind === EVENT_END) {
        this.restart()
        this.expected = -1
        this.lastEnded = true
      }
      if (out.length > limit) return this.fail(out, start)
    }
    return 'ok'
  }

  private emit(samples: number, out: PcmAccumulator): boolean {
    if (samples < 0) return false
    if (!this.resampler) {
      out.append(this.opus.pcm(), 0, samples)
      return true
    }
    // Out of wasm memory first: V8 reads a plain array several times faster than a view of a
    // WebAssembly.Memory, and the interpolation reads each sample four times.
    const decoded = this.decoded
    const pcm = this.opus.pcm()
    for (let i = 0; i < samples; i++) decoded[i] = pcm[i]!
    out.reserve(this.resampler.maxOutput(samples))
    out.length += this.resampler.process(decoded, 0, samples, out.samples, out.length)
    return true
  }

  private fail(out: PcmAccumulator, start: number): DecodeOutcome {
    out.length = start
    this.restart()
    this.expected = -1
    return 'corrupted'
  }

  /** A new stream: fresh codec and resampler state. */
  private restart(): void {
    this.opus.reset()
    this.resampler?.reset()
  }

  free(): void {
    this.opus.free()
  }
}
