import { decode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { avatarDataUrl } from '../../../../src/main/engine/steam/avatar-png'

describe('avatarDataUrl', () => {
  it('makes PNGs that a maintained decoder (fast-png) reads back to Steam’s own pixels', () => {
    // Steam's small, medium and large avatars, and an odd size.
    for (const [width, height] of [
      [32, 32],
      [64, 64],
      [184, 184],
      [3, 2]
    ] as const) {
      const rgba = new Uint8Array(width * height * 4).map((_, i) => (i * 7 + (i >> 9)) & 255)
      const url = avatarDataUrl({ width, height, rgba })
      expect(url).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/)
      const png = decode(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'), { checkCrc: true })
      expect({ width: png.width, height: png.height, channels: png.channels, depth: png.depth }).toEqual({
        width,
        height,
        channels: 4,
        depth: 8
      })
      expect(Buffer.from(png.data as Uint8Array).equals(Buffer.from(rgba))).toBe(true)
    }
  })
})
