import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** What the tray icon shows: whether others hear you now. */
export type TrayLook = { icon: 'talking' | 'muted' | 'idle'; tooltip: string }

export function trayLook(status: { transmit: string; muted: boolean; deafened: boolean }): TrayLook {
  if (status.deafened) return { icon: 'muted', tooltip: 'Parley: deafened (you hear nobody, nobody hears you)' }
  if (status.muted) return { icon: 'muted', tooltip: 'Parley: muted' }
  if (status.transmit !== 'idle') return { icon: 'talking', tooltip: 'Parley: talking' }
  return { icon: 'idle', tooltip: 'Parley: microphone closed (hold push-to-talk to speak)' }
}

/**
 * Start on login, on Linux: an XDG autostart entry (Electron's setLoginItemSettings covers only
 * macOS and Windows). `command` is what starts Parley; written or removed in `configHome`.
 */
export async function setLinuxAutostart(configHome: string, enabled: boolean, command: string[]): Promise<string> {
  const file = path.join(configHome, 'autostart', 'parley.desktop')
  if (!enabled) {
    await rm(file, { force: true })
    return file
  }
  await mkdir(path.dirname(file), { recursive: true })
  const exec = command.map((part) => (/[\s"'\\$`]/.test(part) ? `"${part.replace(/(["\\$`])/g, '\\$1')}"` : part))
  await writeFile(
    file,
    [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Parley',
      'Comment=Voice chat for Steam friends',
      `Exec=${exec.join(' ')}`,
      'X-GNOME-Autostart-enabled=true',
      ''
    ].join('\n')
  )
  return file
}
