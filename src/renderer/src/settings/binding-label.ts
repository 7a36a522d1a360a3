import type { PushToTalkBinding } from '@shared/settings-schema'

const MOUSE_BUTTON_NAMES = [
  'Left mouse button',
  'Middle mouse button',
  'Right mouse button',
  'Mouse button 4',
  'Mouse button 5'
]

/** How a binding reads to a person: "Space", "V", "Mouse button 4". */
export function bindingLabel(binding: PushToTalkBinding): string {
  if (binding.device === 'mouse') return MOUSE_BUTTON_NAMES[binding.button] ?? `Mouse button ${binding.button + 1}`
  const { code } = binding
  if (/^Key[A-Z]$/.test(code)) return code.slice(3)
  if (/^Digit\d$/.test(code)) return code.slice(5)
  return code.replace(/([a-z])([A-Z])/g, '$1 $2')
}
