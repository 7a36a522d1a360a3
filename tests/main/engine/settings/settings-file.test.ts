import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { writeFileAtomic } from '../../../../src/main/engine/settings/atomic-write'
import { SettingsFile } from '../../../../src/main/engine/settings/settings-file'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings-schema'
import { useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made))

const settingsFile = () => path.join(dir, 'settings.json')
const readSaved = async () => JSON.parse(await readFile(settingsFile(), 'utf8'))

describe('SettingsFile', () => {
  it('starts from defaults when there is no file, without a problem to report', async () => {
    const store = await SettingsFile.open(dir, silentLogger)
    expect(store.current.settings).toEqual(DEFAULT_SETTINGS)
    expect(store.current.loadProblem).toBeNull()
  })

  it('keeps a change across a restart', async () => {
    const first = await SettingsFile.open(dir, silentLogger)
    await first.update({ sampleRate: 48000, displayName: 'Ada' })
    const second = await SettingsFile.open(dir, silentLogger)
    expect(second.current.settings).toEqual({ ...DEFAULT_SETTINGS, sampleRate: 48000, displayName: 'Ada' })
    expect(await readSaved()).toEqual({ version: 1, settings: second.current.settings })
  })

  it('writes the file readable by its owner only, and leaves no temp files behind', async () => {
    const store = await SettingsFile.open(dir, silentLogger)
    await store.update({ releaseDelayMs: 500 })
    if (process.platform !== 'win32') expect((await stat(settingsFile())).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it.each([
    ['not JSON', '{"version": 1, "settings": {'],
    ['a newer version', JSON.stringify({ version: 2, settings: {} })],
    ['a JSON array', '[]'],
    ['an empty file', '']
  ])('keeps a file holding %s aside and uses defaults', async (_what, text) => {
    await writeFile(settingsFile(), text)
    const store = await SettingsFile.open(dir, silentLogger, () => new Date('2026-11-22T10:20:30.456Z'))
    expect(store.current.settings).toEqual(DEFAULT_SETTINGS)
    const keptAs = path.join(dir, 'settings.json.corrupt-2026-11-22T10-20-30-456Z')
    expect(store.current.loadProblem).toEqual({
      message: expect.stringContaining('could not be read'),
      keptAs,
      fields: []
    })
    expect(await readFile(keptAs, 'utf8')).toBe(text)
    expect(await readdir(dir)).toEqual(['settings.json.corrupt-2026-11-22T10-20-30-456Z'])

    // The next save writes a good file; the corrupt one stays for the person to inspect.
    await store.update({ sampleRate: 22050 })
    expect((await readSaved()).settings.sampleRate).toBe(22050)
    expect(await readFile(keptAs, 'utf8')).toBe(text)
  })

  it('one value out of range costs that value only: it takes its default, the others are kept, and the page is told which', async () => {
    const stored = {
      sampleRate: 16000,
      releaseDelayMs: 99999,
      displayName: 'Ada',
      lanPort: 'x',
      pushToTalk: { device: 'keyboard', code: 'Tab' }
    }
    const text = JSON.stringify({ version: 1, settings: stored })
    await writeFile(settingsFile(), text)
    const store = await SettingsFile.open(dir, silentLogger, () => new Date('2026-11-22T10:20:30.456Z'))
    expect(store.current.settings).toEqual({ ...DEFAULT_SETTINGS, sampleRate: 16000, displayName: 'Ada' })
    const keptAs = path.join(dir, 'settings.json.corrupt-2026-11-22T10-20-30-456Z')
    expect(store.current.loadProblem).toEqual({
      message:
        'Some settings could not be used and are back to their defaults: Push-to-talk key (Tab moves between controls; choose another key), Release delay (at most 2000 ms), LAN port (a port number). Your other settings are kept; the old file was kept as settings.json.corrupt-2026-11-22T10-20-30-456Z.',
      keptAs,
      fields: ['Push-to-talk key', 'Release delay', 'LAN port']
    })
    expect(await readFile(keptAs, 'utf8')).toBe(text) // nothing is lost
    // The file now holds what is in use; the next start has nothing to report.
    expect((await readSaved()).settings).toEqual(store.current.settings)
    const again = await SettingsFile.open(dir, silentLogger)
    expect(again.current.loadProblem).toBeNull()
    expect(again.current.settings).toEqual(store.current.settings)
  })

  it('reads no more of a huge file than a settings file can be, keeps it aside and says why', async () => {
    await writeFile(settingsFile(), Buffer.alloc(5 * 1024 * 1024, 0x20))
    const store = await SettingsFile.open(dir, silentLogger, () => new Date('2026-11-22T10:20:30.456Z'))
    expect(store.current.settings).toEqual(DEFAULT_SETTINGS)
    expect(store.current.loadProblem?.message).toMatch(/larger than 64 KB/)
    expect((await stat(path.join(dir, 'settings.json.corrupt-2026-11-22T10-20-30-456Z'))).size).toBe(5 * 1024 * 1024)
  })

  it('a write that fails leaves the old file and no temp file behind', async () => {
    // The target is a directory: the temp file is written, then the rename over it fails.
    const target = path.join(dir, 'taken')
    await mkdir(path.join(target, 'inside'), { recursive: true })
    await expect(writeFileAtomic(target, 'x'.repeat(1000))).rejects.toThrow()
    expect(await readdir(dir)).toEqual(['taken'])
    expect(await readdir(target)).toEqual(['inside'])
  })

  it('refuses an invalid change and leaves memory and disk untouched', async () => {
    const store = await SettingsFile.open(dir, silentLogger)
    await store.update({ sampleRate: 16000 })
    const before = await readFile(settingsFile(), 'utf8')
    await expect(store.update({ sampleRate: 16001 })).rejects.toThrow(/^Sample rate: Optimal, or one of/)
    await expect(store.update({ sampleRate: 32000, bogus: 1 })).rejects.toThrow(/bogus/)
    expect(store.current.settings.sampleRate).toBe(16000)
    expect(await readFile(settingsFile(), 'utf8')).toBe(before)
  })

  it('applies concurrent changes in order, all of them, with a whole file at the end', async () => {
    const store = await SettingsFile.open(dir, silentLogger)
    const names = Array.from({ length: 40 }, (_, i) => `Player ${i}`)
    const results = await Promise.all([
      ...names.map((displayName) => store.update({ displayName })),
      store.update({ sampleRate: 44100 }),
      store.update({ releaseDelayMs: 750 })
    ])
    expect(results.at(-1)!.settings).toEqual({
      ...DEFAULT_SETTINGS,
      displayName: 'Player 39',
      sampleRate: 44100,
      releaseDelayMs: 750
    })
    expect((await readSaved()).settings).toEqual(store.current.settings)
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('never leaves a torn file when two stores write the same directory at once', async () => {
    const a = await SettingsFile.open(dir, silentLogger)
    const b = await SettingsFile.open(dir, silentLogger)
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).update({ displayName: `Writer ${i % 2} #${i}` }))
    )
    const saved = await readSaved()
    expect(saved.settings.displayName).toMatch(/^Writer [01] #\d+$/)
    const reopened = await SettingsFile.open(dir, silentLogger)
    expect(reopened.current.loadProblem).toBeNull()
  })

  it('tells listeners about each saved change', async () => {
    const store = await SettingsFile.open(dir, silentLogger)
    const seen: number[] = []
    store.onChange((state) => seen.push(state.settings.releaseDelayMs))
    await store.update({ releaseDelayMs: 100 })
    await store.update({ releaseDelayMs: 300 })
    expect(seen).toEqual([100, 300])
  })
})
