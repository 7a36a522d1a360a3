import { randomBytes } from 'node:crypto'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../../../../src/main/engine/steam-voice/crc32'

describe('crc32', () => {
  it('matches zlib.crc32 on random data and on ranges', () => {
    for (const size of [0, 1, 7, 64, 1000, 8192]) {
      const bytes = randomBytes(size)
      expect(crc32(bytes)).toBe(zlibCrc32(bytes))
      if (size > 10) expect(crc32(bytes, 3, size - 4)).toBe(zlibCrc32(bytes.subarray(3, size - 4)))
    }
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })
})
