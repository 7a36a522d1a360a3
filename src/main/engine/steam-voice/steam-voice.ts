import type { EVoiceResult } from './voice-result'

/**
 * Steam's voice API as Parley uses it, with the names and return shapes of GodotSteam's User
 * class. Implemented by the embedded backend (LAN mode) and by the Steam client through the
 * native addon.
 *
 * Results are objects the backend reuses, and their buffers are the backend's own: read them
 * before the next call of the same function. `buffer` and `uncompressed` hold `written` and
 * `size` valid bytes from their start, like Steam's fixed-size destination buffers.
 */
export interface SteamVoice {
  startVoiceRecording(): void
  /** Recording goes on briefly (the tail); keep calling getVoice until it returns NotRecording. */
  stopVoiceRecording(): void
  /** Compressed bytes ready for getVoice. */
  getAvailableVoice(): AvailableVoice
  getVoice(): CapturedVoice
  /**
   * Decodes one packet from getVoice, to 16-bit mono PCM at `sampleRate` (11025 to 48000).
   * Never throws: a bad packet is DataCorrupted. `length` defaults to `voice.length`.
   */
  decompressVoice(voice: Uint8Array, sampleRate: number, length?: number): DecompressedVoice
  getVoiceOptimalSampleRate(): number
  /**
   * Set by a backend that knows the moment a packet is ready (the embedded one, fed by pushed
   * microphone audio): the pump reads at once instead of polling. Steam's client has no such
   * signal, so there the pump polls.
   */
  onVoiceAvailable?: (() => void) | null
}

export interface AvailableVoice {
  result: EVoiceResult
  /** Compressed bytes available. */
  buffer: number
}

export interface CapturedVoice {
  result: EVoiceResult
  written: number
  buffer: Uint8Array
  /**
   * When the packet's first sample was captured (ms, performance.now()), where the backend knows
   * (the embedded one); NaN where it does not (Steam's client).
   */
  capturedAt?: number
}

export interface DecompressedVoice {
  result: EVoiceResult
  /** Bytes of 16-bit little-endian PCM at the start of `uncompressed`. */
  size: number
  uncompressed: Uint8Array
  /** Lost frames this packet's decode concealed, where the backend says (the embedded one). */
  concealed?: number
  /** The packet ended the speaker's stream (push-to-talk released), where the backend says. */
  ended?: boolean
}

export const MIN_DECOMPRESS_RATE = 11025
export const MAX_DECOMPRESS_RATE = 48000
