import type { NativeAddon } from '../native/native-addon'
import type { AvailableVoice, CapturedVoice, DecompressedVoice, SteamVoice } from '../steam-voice/steam-voice'

/** Steam Voice as the Steam client provides it, through the native addon. */
export class SteamClientVoice implements SteamVoice {
  constructor(private readonly native: NativeAddon) {}

  startVoiceRecording(): void {
    this.native.startVoiceRecording()
  }

  stopVoiceRecording(): void {
    this.native.stopVoiceRecording()
  }

  getAvailableVoice(): AvailableVoice {
    return this.native.getAvailableVoice()
  }

  getVoice(): CapturedVoice {
    return this.native.getVoice()
  }

  decompressVoice(voice: Uint8Array, sampleRate: number, length = voice.length): DecompressedVoice {
    return this.native.decompressVoice(length === voice.length ? voice : voice.subarray(0, length), sampleRate)
  }

  getVoiceOptimalSampleRate(): number {
    return this.native.getVoiceOptimalSampleRate()
  }
}
