// Runs in its own process (forked by global-keys.ts): libuiohook aborts the whole process when
// it cannot open a display, and that must not take the app down. It reports only presses and
// releases of the bound keys and buttons, so no other keystroke leaves this process.
import { uIOhook, UiohookKey } from 'uiohook-napi'
import type { PushToTalkBinding } from '../../../shared/settings-schema'
import type { ChildMessage, KeyAction, ParentMessage } from './global-keys-protocol'
import { domButtonToUiohook, keyCodeToUiohookName } from './uiohook-keys'

const keys = new Map<number, KeyAction>()
const buttons = new Map<number, KeyAction>()
const held = new Set<KeyAction>()
let started = false

const send = (message: ChildMessage): void => {
  process.send?.(message)
}

/** Watches `binding` for `action`; false when it cannot be hooked. */
function watch(action: KeyAction, binding: PushToTalkBinding): boolean {
  if (binding.device === 'mouse') {
    buttons.set(domButtonToUiohook(binding.button), action)
    return true
  }
  const name = keyCodeToUiohookName(binding.code)
  const keycode = name !== null ? (UiohookKey as Record<string, number>)[name] : undefined
  if (keycode === undefined) return false
  keys.set(keycode, action)
  return true
}

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'bind') return
  keys.clear()
  buttons.clear()
  held.clear()
  const refused: string[] = []
  for (const action of ['talk', 'mute', 'deafen'] as const) {
    const binding = message.bindings[action]
    if (binding && !watch(action, binding) && binding.device === 'keyboard')
      refused.push(`${binding.code} cannot be hooked globally`)
  }
  if (refused.length > 0) return send({ type: 'unbindable', detail: refused.join('; ') })
  if (started) send({ type: 'ready' })
})

const edge = (action: KeyAction | undefined, down: boolean): void => {
  if (action === undefined || down === held.has(action)) return // not ours, or a key repeat
  if (down) held.add(action)
  else held.delete(action)
  send({ type: down ? 'down' : 'up', action })
}
uIOhook.on('keydown', (event) => edge(keys.get(event.keycode), true))
uIOhook.on('keyup', (event) => edge(keys.get(event.keycode), false))
uIOhook.on('mousedown', (event) => edge(buttons.get(event.button as number), true))
uIOhook.on('mouseup', (event) => edge(buttons.get(event.button as number), false))

process.on('disconnect', () => {
  uIOhook.stop()
  process.exit(0)
})

uIOhook.start()
started = true
send({ type: 'ready' })
