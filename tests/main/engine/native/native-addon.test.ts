import { copyFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  loadNativeAddon,
  NATIVE_ADDON_RELATIVE_PATH,
  NativeAddonLoadError,
  NativeAddonMissingError
} from '../../../../src/main/engine/native/native-addon'
import { REPO_ROOT, useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

describe('loadNativeAddon', () => {
  it('loads the addon npm install built and calls into it', () => {
    const info = loadNativeAddon(REPO_ROOT).buildInfo()
    expect(info.name).toBe('parley_native')
    expect(info.napiVersion).toBeGreaterThanOrEqual(8)
  })

  it('says how to build it when the build is missing', () => {
    const attempt = () => loadNativeAddon(dir)
    expect(attempt).toThrow(NativeAddonMissingError)
    expect(attempt).toThrow(/npm run build:native/)
    expect(attempt).toThrow(path.join(dir, NATIVE_ADDON_RELATIVE_PATH))
  })

  it('reports a file that is not a loadable addon', async () => {
    const bogus = path.join(dir, 'bogus.node')
    await writeFile(bogus, 'not an ELF file')
    expect(() => loadNativeAddon(dir, bogus)).toThrow(NativeAddonLoadError)
  })

  it('refuses a module that loads but is not ours', async () => {
    const other = path.join(dir, 'other.js')
    await writeFile(other, 'module.exports = { somethingElse() {} }')
    expect(() => loadNativeAddon(dir, other)).toThrow(/not Parley's native addon/)
  })

  it('loads a copy from another app root (how a packaged app finds it)', async () => {
    const copy = path.join(dir, 'copy.node')
    await copyFile(path.join(REPO_ROOT, NATIVE_ADDON_RELATIVE_PATH), copy)
    expect(loadNativeAddon(dir, copy).buildInfo().name).toBe('parley_native')
  })
})
