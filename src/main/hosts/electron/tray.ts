import { Menu, nativeImage, Tray, type NativeImage } from 'electron'
import { trayLook, type TrayLook } from './desktop-life'

/** A filled circle, BGRA: green while we transmit, grey while the microphone is closed. */
function dot(red: number, green: number, blue: number): NativeImage {
  const size = 32
  const pixels = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - 15.5, y - 15.5)
      const alpha = Math.max(0, Math.min(1, 13.5 - distance))
      const at = (y * size + x) * 4
      pixels[at] = blue
      pixels[at + 1] = green
      pixels[at + 2] = red
      pixels[at + 3] = Math.round(alpha * 255)
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size }).resize({ width: 16, height: 16 })
}

/** The tray icon: whether Parley is sending your voice right now (or you are muted), and a way back to the window. */
export function createTray(show: () => void, quit: () => void) {
  const icons = { talking: dot(46, 204, 113), muted: dot(231, 76, 60), idle: dot(140, 140, 140) }
  const tray = new Tray(icons.idle)
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Parley', click: show },
      { type: 'separator' },
      { label: 'Quit', click: quit }
    ])
  )
  tray.on('click', show)
  let shown: TrayLook | null = null
  const set = (look: TrayLook): void => {
    if (shown && look.icon === shown.icon && look.tooltip === shown.tooltip) return
    shown = look
    tray.setImage(icons[look.icon])
    tray.setToolTip(look.tooltip)
  }
  set(trayLook({ transmit: 'idle', muted: false, deafened: false }))
  return { set, destroy: () => tray.destroy() }
}
