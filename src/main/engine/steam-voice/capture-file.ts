/**
 * Files of Steam voice packets as captured from GetVoice: each record a u32 little-endian
 * length, then that many bytes (shared/fixtures/steam-voice/README.md).
 */

export class CaptureFileError extends Error {
  override name = 'CaptureFileError'
}

/** The packets, each its own copy (a Node Buffer's slice would share the file's memory). */
export function readCaptureFile(bytes: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 0
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) throw new CaptureFileError(`truncated record header at byte ${offset}`)
    const length = view.getUint32(offset, true)
    if (offset + 4 + length > bytes.length) {
      throw new CaptureFileError(
        `record at byte ${offset} claims ${length} bytes but only ${bytes.length - offset - 4} remain`
      )
    }
    packets.push(new Uint8Array(bytes.subarray(offset + 4, offset + 4 + length)))
    offset += 4 + length
  }
  return packets
}

export function writeCaptureFile(packets: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(packets.reduce((n, p) => n + 4 + p.length, 0))
  const view = new DataView(out.buffer)
  let offset = 0
  for (const packet of packets) {
    view.setUint32(offset, packet.length, true)
    out.set(packet, offset + 4)
    offset += 4 + packet.length
  }
  return out
}
