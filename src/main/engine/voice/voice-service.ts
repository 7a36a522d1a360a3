import { randomBytes } from 'node:crypto'
import type { VoiceStatus } from '../../../shared/contract'
import type { SampleRateSetting } from '../../../shared/settings-schema'
import { PushedPcmSource } from './microphone/pushed-pcm-source'
import { VoiceEngine, type OutgoingVoice, type TransmitState, type VoiceEngineListener } from './pump/voice-engine'
import { EmbeddedSteamVoice } from './steam-voice/embedded-steam-voice'
import type { SteamVoice } from './steam-voice/steam-voice'

export interface VoiceServiceOptions {
  sampleRate: SampleRateSetting
  listener?: VoiceEngineListener
  /** Steam's own voice (Steam mode); without it, the embedded backend (LAN mode). */
  steamVoice?: SteamVoice
  /** Our SteamID64; in LAN mode it will come from the install's identity key (auth issue). */
  steamId?: bigint
}

/**
 * The app's voice: the embedded Steam Voice fed by the renderer's microphone, and the pump.
 * Captured packets go to whatever transport is attached; with none yet, they are only counted.
 */
export class VoiceService {
  private source: PushedPcmSource | null = null
  private outgoing: OutgoingVoice | null = null

  private constructor(
    private readonly voice: SteamVoice,
    private readonly embedded: EmbeddedSteamVoice | null,
    readonly engine: VoiceEngine
  ) {}

  static async create(options: VoiceServiceOptions): Promise<VoiceService> {
    const embedded = options.steamVoice
      ? null
      : await EmbeddedSteamVoice.create({ steamId: options.steamId ?? randomIndividualSteamId() })
    const voice: SteamVoice = options.steamVoice ?? embedded!
    let service: VoiceService | null = null
    const engine = new VoiceEngine({
      voice,
      outgoing: { sendVoice: (packet, length) => service?.outgoing?.sendVoice(packet, length) },
      sampleRate: options.sampleRate,
      listener: options.listener
    })
    service = new VoiceService(voice, embedded, engine)
    engine.start()
    return service
  }

  /** Where captured packets go (the network layer). */
  attachOutgoing(outgoing: OutgoingVoice | null): void {
    this.outgoing = outgoing
  }

  /**
   * Audio from the renderer's capture worklet. A new rate starts a new source. With Steam, the
   * client captures the microphone itself and this is ignored.
   */
  pushMicrophone(sampleRate: number, samples: Int16Array): void {
    if (!this.embedded) return
    if (this.source?.sampleRate !== sampleRate) {
      this.source = new PushedPcmSource(sampleRate)
      this.embedded.setMicrophone(this.source)
    }
    this.source.push(samples)
  }

  setTalking(talking: boolean): TransmitState {
    this.engine.setTalking(talking)
    return this.engine.transmitState
  }

  setSampleRate(setting: SampleRateSetting): void {
    this.engine.setSampleRate(setting)
  }

  status(): VoiceStatus {
    const { packetsSent, bytesSent } = this.engine.stats
    return {
      backend: this.embedded ? 'embedded' : 'steam',
      transmit: this.engine.transmitState,
      sampleRate: this.engine.sampleRate,
      packetsSent,
      bytesSent,
      framesGated: this.embedded?.captureStats.gated ?? 0
    }
  }

  close(): void {
    this.engine.stop()
    this.embedded?.free()
  }
}

/** An id in the individual-account range, for LAN mode until identities exist. */
function randomIndividualSteamId(): bigint {
  return 76561197960265728n + BigInt(randomBytes(4).readUInt32LE(0))
}
