import { encodeAudio } from '../../src/main/engine/steam-voice/offline-codec'
import {
  EVENT_FRAME,
  MAX_VOICE_PACKET_BYTES,
  parseVoicePacket,
  VoicePacketView,
  VoicePacketWriter
} from '../../src/main/engine/steam-voice/voice-packet'
import { splitSteamId } from '../../src/shared/steam-id'
import { noise } from './audio'

/**
 * One packet as big as Steam hands out after a stall (up to 8 KiB): the real codec's frames of
 * three seconds of loud noise (big frames), a silence in the middle, and the end of the stream.
 */
export async function bigVoicePacket(steamId: bigint): Promise<Uint8Array> {
  const { low, high } = splitSteamId(steamId)
  const { packets } = await encodeAudio({ sampleRate: 24000, samples: noise(24000 * 3, -20) }, steamId)
  const view = new VoicePacketView()
  const writer = new VoicePacketWriter(low, high)
  writer.begin()
  let frames = 0
  fill: for (const packet of packets) {
    parseVoicePacket(packet, packet.length, view)
    for (let e = 0; e < view.eventCount; e++) {
      if (view.eventKind[e] !== EVENT_FRAME) continue
      if (writer.size + writer.costOfFrame(view.frameLength[e]!) + 8 > MAX_VOICE_PACKET_BYTES) break fill
      writer.addFrame(view.eventValue[e]!, packet, view.frameLength[e]!, view.frameOffset[e]!)
      if (++frames === 20) writer.addSilence(480)
    }
  }
  writer.addEnd()
  return writer.bytes.slice(0, writer.finish())
}
