import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export async function makeTempDir(prefix = 'parley-test-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..')

/**
 * A fresh temp folder for each test (or once for the file, with `per: 'file'`), handed to `made`
 * before the test and removed after it, whatever happened in it.
 */
export function useTempDir(made: (dir: string) => void, per: 'test' | 'file' = 'test'): void {
  let cleanup: (() => Promise<void>) | null = null
  ;(per === 'test' ? beforeEach : beforeAll)(async () => {
    const temp = await makeTempDir()
    cleanup = temp.cleanup
    made(temp.dir)
  })
  ;(per === 'test' ? afterEach : afterAll)(async () => {
    await cleanup?.()
    cleanup = null
  })
}
