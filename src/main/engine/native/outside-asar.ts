import path from 'node:path'

/**
 * Where a file packed with asarUnpack really lies: …/resources/app.asar/x → …/app.asar.unpacked/x.
 * Electron reads inside an archive for its own fs and require; a forked script, and whatever the
 * OS opens itself, need the real path. Paths outside an archive come back as they are.
 */
export function outsideAsar(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`
  const at = file.indexOf(marker)
  return at === -1
    ? file
    : `${file.slice(0, at)}${path.sep}app.asar.unpacked${path.sep}${file.slice(at + marker.length)}`
}
