import { readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './temp-dir'

/** The real Steam capture in shared/ (beside the repository), split into its packets. */
export function fixturePackets(): Uint8Array[] {
  const file = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'steam-voice', 'music-capture.bin')
  return splitLengthPrefixed(readFileSync(file))
}

export function splitLengthPrefixed(bytes: Buffer): Uint8Array[] {
  const packets: Uint8Array[] = []
  for (let offset = 0; offset < bytes.length;) {
    const length = bytes.readUInt32LE(offset)
    packets.push(new Uint8Array(bytes.subarray(offset + 4, offset + 4 + length)))
    offset += 4 + length
  }
  return packets
}
