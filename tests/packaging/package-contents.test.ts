import { listPackage, statFile } from '@electron/asar'
import { execFile } from 'node:child_process'
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, makeTempDir } from '../support/temp-dir'

// The installers' layout, built here without Electron's binary (these machines cannot download
// it): electron-builder --dir with a stand-in Electron, so what it copies, packs into app.asar
// and unpacks beside it is exactly what an installer would ship.
const run = promisify(execFile)
const packageJson = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string
  devDependencies: Record<string, string>
  build: { asarUnpack: string[]; files: string[] }
}
const electronVersion = packageJson.devDependencies.electron!.replace(/^\D+/, '')

let temp: Awaited<ReturnType<typeof makeTempDir>> | undefined
let resources: string
let inAsar: Set<string>
let unpacked: string

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), relative)))
    else out.push(relative)
  }
  return out
}

beforeAll(async () => {
  temp = await makeTempDir('parley-package-')
  const electronDist = path.join(temp.dir, 'electron')
  await mkdir(electronDist)
  await writeFile(path.join(electronDist, 'electron'), '#!/bin/sh\necho "a stand-in for Electron"\n')
  await chmod(path.join(electronDist, 'electron'), 0o755)
  await writeFile(path.join(electronDist, 'version'), electronVersion)
  const output = path.join(temp.dir, 'dist')
  await run(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'electron-builder'),
    [
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${output}`
    ],
    { cwd: REPO_ROOT, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } }
  )
  resources = path.join(output, 'linux-unpacked', 'resources')
  const archive = path.join(resources, 'app.asar')
  inAsar = new Set(listPackage(archive, { isPack: false }).map((entry) => entry.replace(/\\/g, '/').slice(1)))
  unpacked = path.join(resources, 'app.asar.unpacked')
  // Unpacked files are listed in the archive too; they must really be on disk beside it.
  for (const file of await filesUnder(unpacked)) expect(statFile(archive, file).unpacked, file).toBe(true)
}, 120_000)

afterAll(async () => {
  await temp?.cleanup()
})

describe('the packaged app', () => {
  it('holds what main, the preload and the page load at run time', async () => {
    for (const file of ['package.json', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(inAsar.has(file), file).toBe(true)
    }
    // Every asset the built page names (scripts, styles, workers, worklets, wasm) is packed.
    const built = await filesUnder(path.join(REPO_ROOT, 'out', 'renderer'))
    for (const file of built.filter((name) => !name.endsWith('.map'))) {
      expect(inAsar.has(`out/renderer/${file}`), file).toBe(true)
    }
    expect(built.some((file) => file.endsWith('.wasm'))).toBe(true)
    // Every package main imports is there (bundled code imports only what is a dependency).
    const main = await readFile(path.join(REPO_ROOT, 'out', 'main', 'index.js'), 'utf8')
    const chunks = await filesUnder(path.join(REPO_ROOT, 'out', 'main', 'chunks'))
    const sources = [
      main,
      ...(await Promise.all(chunks.map((c) => readFile(path.join(REPO_ROOT, 'out/main/chunks', c), 'utf8'))))
    ]
    const packages = new Set<string>()
    for (const source of sources) {
      // import … from "x", and createRequire(import.meta.url)("x") / .resolve("x") for CommonJS.
      for (const [, specifier] of source.matchAll(
        /(?:from\s+|createRequire\(import\.meta\.url\)(?:\.resolve)?\()"([^".][^"]*)"/g
      )) {
        if (specifier!.startsWith('node:') || specifier === 'electron') continue
        packages.add(
          specifier!
            .split('/')
            .slice(0, specifier!.startsWith('@') ? 2 : 1)
            .join('/')
        )
      }
    }
    expect(packages.size).toBeGreaterThan(5)
    for (const name of packages) expect(inAsar.has(`node_modules/${name}/package.json`), name).toBe(true)
  })

  it('keeps native code and the key hook’s process outside the archive, where they load from', () => {
    expect(existsSync(path.join(unpacked, 'native/build/Release/parley_native.node'))).toBe(true)
    const child = path.join(unpacked, 'out/main/global-keys.js')
    expect(existsSync(child)).toBe(true)
    // The child is forked as a plain script: what it imports must resolve from where it lies.
    const uiohook = createRequire(child).resolve('uiohook-napi')
    expect(uiohook.startsWith(unpacked)).toBe(true)
    const gypBuild = createRequire(uiohook).resolve('node-gyp-build')
    expect(gypBuild.startsWith(unpacked)).toBe(true)
    const steamworks = path.join(unpacked, 'node_modules/steamworks.js/dist/linux64')
    expect(existsSync(path.join(steamworks, 'libsteam_api.so'))).toBe(true)
  })

  it('ships none of the development tree', () => {
    const forbidden = [
      /^src\//,
      /^tests\//,
      /^\.ci\//,
      /^docs\//,
      /^scripts\//,
      /^native\/src\//,
      /\.map$/,
      /^node_modules\/(electron|vitest|@playwright|react|react-dom|typescript|vite|electron-builder)\//
    ]
    for (const file of inAsar) {
      for (const rule of forbidden) expect(rule.test(file), file).toBe(false)
    }
  })

  it('every packing rule still matches something (a renamed file cannot silently drop out)', () => {
    for (const rule of packageJson.build.asarUnpack) {
      expect(
        [...inAsar].some((file) => path.matchesGlob(file, rule) && existsSync(path.join(unpacked, file))),
        rule
      ).toBe(true)
    }
    for (const rule of packageJson.build.files.filter((pattern) => !pattern.startsWith('!'))) {
      expect(
        [...inAsar].some((file) => path.matchesGlob(file, rule)),
        rule
      ).toBe(true)
    }
  })
})
