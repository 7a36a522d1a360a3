import { open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'

let counter = 0

/**
 * Writes `data` so that a reader (or a crash) sees either the old file or the new one, never
 * a torn mix: temp file in the same directory, fsync, rename over the target.
 */
export async function writeFileAtomic(target: string, data: string, mode = 0o600): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter++}.tmp`)
  const handle = await open(temp, 'w', mode)
  try {
    try {
      await handle.writeFile(data, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (error) {
    // A full disk (ENOSPC) or a failed rename: the half-written temp file goes, the old file stays.
    await unlink(temp).catch(() => {})
    throw error
  }
  // The rename itself is durable only once the directory is synced; not all platforms allow it.
  try {
    const dir = await open(path.dirname(target), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch {
    /* best effort (Windows cannot open directories) */
  }
}
