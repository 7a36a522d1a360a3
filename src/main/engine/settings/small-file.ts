import { open } from 'node:fs/promises'

/** A file bigger than its kind can be: never read whole (a huge or endless file must not fill memory). */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError'
}

/**
 * A small file's text (settings, identity, window place), or null when it does not exist. Reads
 * at most `maxBytes`; a file larger than that throws FileTooLargeError with a sentence to show.
 */
export async function readSmallFile(file: string, maxBytes: number): Promise<string | null> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    // Read one byte past the limit rather than trust the size (a FIFO or /proc file has none).
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      if (length > maxBytes) {
        throw new FileTooLargeError(`it is larger than ${Math.round(maxBytes / 1024)} KB, which no such file should be`)
      }
    }
    return buffer.toString('utf8', 0, length)
  } finally {
    await handle.close()
  }
}
