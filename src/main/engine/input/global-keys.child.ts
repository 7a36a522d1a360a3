// Runs in its own process (forked by global-keys.ts): libuiohook aborts the whole process when
// it cannot open a display, and that must not take the app down. It reports only presses and
// releases of the bound key or button, so no other keystroke leaves this process.
import { uIOhook, UiohookKey } from 'uiohook-napi'
import type { ChildMessage, ParentMessage } from './global-keys-protocol'
import { domButtonToUiohook, keyCodeToUiohookName } from './uiohook-keys'

let keycode: number | null = null
let button: number | null = null
let held = false
let started = false

const send = (message: ChildMessage): void => {
  process.send?.(message)
}

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'bind') return
  const { binding } = message
  held = false
  if (binding.device === 'keyboard') {
    const name = keyCodeToUiohookName(binding.code)
    keycode = name !== null ? ((UiohookKey as Record<string, number>)[name] ?? null) : null
    button = null
    if (keycode === null) return send({ type: 'unbindable', detail: `${binding.code} cannot be hooked globally` })
  } else {
    button = domButtonToUiohook(binding.button)
    keycode = null
  }
  if (started) send({ type: 'ready' })
})

const edge = (down: boolean): void => {
  if (down === held) return // key repeat
  held = down
  send({ type: down ? 'down' : 'up' })
}
uIOhook.on('keydown', (event) => event.keycode === keycode && edge(true))
uIOhook.on('keyup', (event) => event.keycode === keycode && edge(false))
uIOhook.on('mousedown', (event) => event.button === button && edge(true))
uIOhook.on('mouseup', (event) => event.button === button && edge(false))

process.on('disconnect', () => {
  uIOhook.stop()
  process.exit(0)
})

uIOhook.start()
started = true
send({ type: 'ready' })
