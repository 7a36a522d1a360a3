import { crc32 } from '../src/main/engine/steam-voice/crc32'

/** A copy of a Steam voice packet as if `steamId` had spoken it (SteamID and CRC rewritten). */
export function resignPacket(packet: Uint8Array, steamId: bigint): Uint8Array {
  const copy = new Uint8Array(packet)
  const data = new DataView(copy.buffer, copy.byteOffset, copy.byteLength)
  data.setBigUint64(0, steamId, true)
  data.setUint32(copy.length - 4, crc32(copy, 0, copy.length - 4), true)
  return copy
}
