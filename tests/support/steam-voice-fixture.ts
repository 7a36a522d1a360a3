import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { TestContext } from 'vitest'
import { REPO_ROOT } from './temp-dir'

/**
 * The real Steam voice capture (400 GetVoice packets from a real client). It is not ours to
 * publish, so it lives outside the repository: PARLEY_STEAM_CAPTURE names it, else it is looked
 * for in shared/ beside the clone. Tests and benches that need it come here, and are skipped,
 * saying why, where it is absent.
 */
export const STEAM_CAPTURE_ENV = 'PARLEY_STEAM_CAPTURE'

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test was skipped; scripts/test-all.mjs prints it. */
    skipReason?: string
  }
}

export function steamCapturePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[STEAM_CAPTURE_ENV]
  return configured
    ? path.resolve(configured)
    : path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'steam-voice', 'music-capture.bin')
}

/** Null when the capture is here, else why it is not (one line, for a skip). */
export function steamCaptureMissing(): string | null {
  const file = steamCapturePath()
  return existsSync(file)
    ? null
    : `needs the real Steam capture, which is not in the repository (looked for ${file}; set ${STEAM_CAPTURE_ENV} to its path)`
}

/** The capture split into its packets. Call only where steamCaptureMissing() is null. */
export function fixturePackets(): Uint8Array[] {
  return splitLengthPrefixed(readFileSync(steamCapturePath()))
}

/** Skips this test, saying why, when the capture is absent (or, as a beforeEach, every test of a block). */
export function skipIfNoSteamCapture(context: TestContext): void {
  const missing = steamCaptureMissing()
  if (!missing) return
  context.task.meta.skipReason = missing
  context.skip(missing)
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
