// Draws every icon size the installers want from packaging/icon.svg (one source), into
// packaging/generated/ (not committed): PNGs for Linux (16–512), and the 1024 px icon.png that
// electron-builder turns into the Windows .ico and the macOS .icns.
import { Resvg } from '@resvg/resvg-js'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const source = readFileSync(path.join(root, 'packaging', 'icon.svg'))
const out = path.join(root, 'packaging', 'generated')
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]

const draw = (size) => new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng()

mkdirSync(path.join(out, 'icons'), { recursive: true })
for (const size of LINUX_SIZES) writeFileSync(path.join(out, 'icons', `${size}x${size}.png`), draw(size))
writeFileSync(path.join(out, 'icon.png'), draw(1024))
console.log(`icons: ${LINUX_SIZES.join(', ')} and 1024 px in ${path.relative(root, out)}/`)
