import { OpusDecoder, OPUS_RATES, type OpusRate } from '../codec/opus-wasm'
import { StreamResampler } from '../codec/speex-resampler'
import type { PcmAccumulator } from './pcm-accumulator'
import { EVENT_END, EVENT_FRAME, EVENT_SILENCE, type VoicePacketView } from './voice-packet'

/** Gaps up to this many frames are concealed; longer ones start the stream afresh. */
export const MAX_CONCEALED_GAP = 10
/** Steam's codec rate: sequence and silence counts are in its 20 ms frames and samples. */
export const STEAM_CODEC_RATE = 24000
/** No packet decodes to more than this much audio (a guard against crafted silence counts). */
export const MAX_PACKET_AUDIO_SECONDS = 2

/**
 * The rate Opus decodes at for a requested output rate: Opus's own rate where the request is
 * one (no resampling). Otherwise Steam's 24 kHz (12 kHz below that), then resampled: Steam
 * voice carries nothing above 12 kHz, so decoding at 48 kHz first would add work, not sound.
 */
export function decoderRateFor(outputRate: number): OpusRate {
  if ((OPUS_RATES as readonly number[]).includes(outputRate)) return outputRate as OpusRate
  return outputRate < 12000 ? 12000 : STEAM_CODEC_RATE
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
  private resampler: StreamResampler | null
  private expected = -1
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
    this.resampler = codecRate === outputRate ? null : new StreamResampler(codecRate, outputRate, 5760)
  }

  /** Decodes every event of a parsed packet into `out`; on 'corrupted', `out` is left as it was. */
  decode(bytes: Uint8Array, view: VoicePacketView, out: PcmAccumulator): DecodeOutcome {
    const limit = out.length + this.outputRate * MAX_PACKET_AUDIO_SECONDS
    const start = out.length
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
            }
            if (!this.emit(this.opus.recover(bytes, view.frameOffset[e], view.frameLength[e]), out)) {
              return this.fail(out, start)
            }
            this.stats.concealed++
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
    const produced = this.resampler.process(this.opus.pcm(), 0, samples)
    out.append(this.resampler.heap(), this.resampler.outputOffset(), produced)
    return true
  }

  private fail(out: PcmAccumulator, start: number): DecodeOutcome {
    out.length = start
    this.restart()
    this.expected = -1
    return 'corrupted'
  }

  /** A new stream: fresh codec state, and a fresh resampler (Speex's wasm build exports no reset). */
  private restart(): void {
    this.opus.reset()
    if (this.resampler) {
      this.resampler.free()
      this.resampler = new StreamResampler(this.opus.sampleRate, this.outputRate, 5760)
    }
  }

  free(): void {
    this.opus.free()
    this.resampler?.free()
  }
}
