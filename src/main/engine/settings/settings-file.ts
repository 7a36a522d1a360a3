import { copyFile, mkdir, rename } from 'node:fs/promises'
import path from 'node:path'
import { describeIssues } from '../../../shared/contract'
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE_VERSION,
  describeSettingsProblem,
  recoverSettings,
  SettingsFileSchema,
  SettingsPatchSchema,
  type Settings,
  type SettingsLoadProblem,
  type SettingsPatch,
  type SettingsState
} from '../../../shared/settings-schema'
import type { Logger } from '../logging/logger'
import { writeFileAtomic } from './atomic-write'
import { FileTooLargeError, readSmallFile } from './small-file'

export const SETTINGS_FILE_NAME = 'settings.json'

/** The new state, and the settings before the change. */
type Listener = (state: SettingsState, previous: Settings) => void

interface LoadResult {
  settings: Settings
  problem: SettingsLoadProblem | null
}

/** A file name that sorts by time and is valid on every filesystem (no colons). */
export function corruptFileName(now: Date): string {
  return `${SETTINGS_FILE_NAME}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`
}

/**
 * Owns settings.json in one data directory. Loads and validates once, then serialises every
 * change through one queue so concurrent updates apply in order and each write is atomic.
 */
export class SettingsFile {
  private state: SettingsState
  private queue: Promise<unknown> = Promise.resolve()
  private readonly listeners = new Set<Listener>()

  private constructor(
    private readonly file: string,
    loaded: LoadResult,
    private readonly logger: Logger
  ) {
    this.state = { settings: loaded.settings, file, loadProblem: loaded.problem }
  }

  static async open(dataDir: string, logger: Logger, now: () => Date = () => new Date()): Promise<SettingsFile> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const file = path.join(dataDir, SETTINGS_FILE_NAME)
    const loaded = await loadSettingsFile(file, now)
    if (loaded.problem) logger.warn(loaded.problem.message)
    return new SettingsFile(file, loaded, logger)
  }

  get current(): SettingsState {
    return this.state
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Validates, applies and persists a change; a rejected change leaves memory and disk as they were. */
  update(patch: unknown): Promise<SettingsState> {
    const parsed = SettingsPatchSchema.safeParse(patch)
    if (!parsed.success) return Promise.reject(new InvalidSettingsError(describeSettingsProblem(parsed.error)))
    const run = this.queue.then(() => this.apply(parsed.data))
    this.queue = run.catch(() => {})
    return run
  }

  private async apply(patch: SettingsPatch): Promise<SettingsState> {
    const previous = this.state.settings
    const settings: Settings = { ...previous, ...patch }
    await writeFileAtomic(this.file, `${JSON.stringify({ version: SETTINGS_FILE_VERSION, settings }, null, 2)}\n`)
    this.state = { ...this.state, settings }
    this.logger.info(`settings saved: ${Object.keys(patch).join(', ')}`)
    for (const listener of this.listeners) listener(this.state, previous)
    return this.state
  }
}

export class InvalidSettingsError extends Error {
  override name = 'InvalidSettingsError'
}

/** Far more than any settings file (about 1 KB); a bigger one is not ours. */
const MAX_SETTINGS_BYTES = 64 * 1024

async function loadSettingsFile(file: string, now: () => Date): Promise<LoadResult> {
  let text: string | null
  try {
    text = await readSmallFile(file, MAX_SETTINGS_BYTES)
    if (text === null) return { settings: DEFAULT_SETTINGS, problem: null }
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error
    return setAside(file, now, error.message)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return setAside(file, now, `not valid JSON: ${(error as Error).message}`)
  }
  const envelope = SettingsFileSchema.safeParse(json)
  if (!envelope.success) return setAside(file, now, `not a settings file: ${describeIssues(envelope.error)}`)
  // One wrong value costs that value only: it takes its default, the rest are kept.
  const { settings, rejected } = recoverSettings(envelope.data.settings)
  if (rejected.length === 0) return { settings, problem: null }
  const keptAs = path.join(path.dirname(file), corruptFileName(now()))
  await copyFile(file, keptAs)
  await writeFileAtomic(file, `${JSON.stringify({ version: SETTINGS_FILE_VERSION, settings }, null, 2)}\n`)
  const which = rejected.map((field) => `${field.label} (${field.problem})`).join(', ')
  return {
    settings,
    problem: {
      message: `Some settings could not be used and are back to their defaults: ${which}. Your other settings are kept; the old file was kept as ${path.basename(keptAs)}.`,
      keptAs,
      fields: rejected.map((field) => field.label)
    }
  }
}

/** A file that is not settings at all: kept aside whole, defaults in use. */
async function setAside(file: string, now: () => Date, reason: string): Promise<LoadResult> {
  const keptAs = path.join(path.dirname(file), corruptFileName(now()))
  await rename(file, keptAs)
  return {
    settings: DEFAULT_SETTINGS,
    problem: {
      message: `Your settings file could not be read (${reason}). It was kept as ${path.basename(keptAs)} and default settings are in use.`,
      keptAs,
      fields: []
    }
  }
}
