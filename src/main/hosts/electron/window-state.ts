import { screen, type BrowserWindow } from 'electron'
import path from 'node:path'
import { writeFileAtomic } from '../../engine/settings/atomic-write'
import { readSmallFile } from '../../engine/settings/small-file'
import type { Logger } from '../../engine/logging/logger'
import { visibleBounds, type WindowBounds } from './window-bounds'

const SAVE_DELAY_MS = 500

/** Where the window was last time, if that place is still on a screen. */
export async function loadWindowBounds(dataDir: string): Promise<WindowBounds | null> {
  try {
    const saved: unknown = JSON.parse((await readSmallFile(path.join(dataDir, 'window-state.json'), 4096)) ?? 'null')
    return visibleBounds(
      saved,
      screen.getAllDisplays().map((display) => display.workArea)
    )
  } catch {
    return null
  }
}

/** Saves the window's place (debounced) as it moves, resizes, maximises, and when it closes. */
export function keepWindowBounds(window: BrowserWindow, dataDir: string, logger: Logger): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = (): void => {
    if (window.isDestroyed() || window.isMinimized()) return
    const { x, y, width, height } = window.getNormalBounds()
    const bounds: WindowBounds = { x, y, width, height, maximized: window.isMaximized() }
    writeFileAtomic(path.join(dataDir, 'window-state.json'), JSON.stringify(bounds)).catch((error: Error) =>
      logger.warn(`could not save the window position: ${error.message}`)
    )
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }
  window.on('move', later)
  window.on('resize', later)
  window.on('maximize', later)
  window.on('unmaximize', later)
  window.on('close', () => {
    if (timer) clearTimeout(timer)
    save()
  })
}
