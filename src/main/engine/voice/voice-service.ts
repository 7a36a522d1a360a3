import { randomBytes } from 'node:crypto'
import type { VoiceStatus } from '../../../shared/contract'
import type { SampleRateSetting } from '../../../shared/settings-schema'
import { PushedPcmSource } from './microphone/pushed-pcm-source'
import { VoiceEngine, type OutgoingVoice, type TransmitState, type VoiceEngineListener } from './pump/voice-engine'
import { EmbeddedSteamVoice } from './steam-voice/embedded-steam-voice'

export interface VoiceServiceOptions {
  sampleRate: SampleRateSetting
  listener?: VoiceEngineListener
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
    private readonly voice: EmbeddedSteamVoice,
    readonly engine: VoiceEngine
  ) {}

  static async create(options: VoiceServiceOptions): Promise<VoiceService> {
    const voice = await EmbeddedSteamVoice.create({ steamId: options.steamId ?? randomIndividualSteamId() })
    let service: VoiceService | null = null
    const engine = new VoiceEngine({
      voice,
      outgoing: { sendVoice: (packet, length) => service?.outgoing?.sendVoice(packet, length) },
      sampleRate: options.sampleRate,
      listener: options.listener
    })
    service = new VoiceService(voice, engine)
    engine.start()
    return service
  }

  /** Where captured packets go (the network layer). */
  attachOutgoing(outgoing: OutgoingVoice | null): void {
    this.outgoing = outgoing
  }

  /** Audio from the renderer's capture worklet. A new rate starts a new source. */
  pushMicrophone(sampleRate: number, samples: Int16Array): void {
    if (this.source?.sampleRate !== sampleRate) {
      this.source = new PushedPcmSource(sampleRate)
      this.voice.setMicrophone(this.source)
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
      backend: 'embedded',
      transmit: this.engine.transmitState,
      sampleRate: this.engine.sampleRate,
      packetsSent,
      bytesSent,
      framesGated: this.voice.captureStats.gated
    }
  }

  close(): void {
    this.engine.stop()
    this.voice.free()
  }
}

/** An id in the individual-account range, for LAN mode until identities exist. */
function randomIndividualSteamId(): bigint {
  return 76561197960265728n + BigInt(randomBytes(4).readUInt32LE(0))
}
