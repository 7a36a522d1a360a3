const MODIFIERS: Record<string, string> = {
  ControlLeft: 'Ctrl',
  ControlRight: 'CtrlRight',
  AltLeft: 'Alt',
  AltRight: 'AltRight',
  ShiftLeft: 'Shift',
  ShiftRight: 'ShiftRight',
  MetaLeft: 'Meta',
  MetaRight: 'MetaRight'
}

/** Keys whose KeyboardEvent.code and uiohook name are the same word. */
const SAME_NAME = new Set([
  'Backspace',
  'Tab',
  'Enter',
  'CapsLock',
  'Escape',
  'Space',
  'PageUp',
  'PageDown',
  'End',
  'Home',
  'ArrowLeft',
  'ArrowUp',
  'ArrowRight',
  'ArrowDown',
  'Insert',
  'Delete',
  'NumpadMultiply',
  'NumpadAdd',
  'NumpadSubtract',
  'NumpadDecimal',
  'NumpadDivide',
  'NumpadEnter',
  'Semicolon',
  'Equal',
  'Comma',
  'Minus',
  'Period',
  'Slash',
  'Backquote',
  'BracketLeft',
  'Backslash',
  'BracketRight',
  'Quote',
  'NumLock',
  'ScrollLock',
  'PrintScreen'
])

/**
 * The uiohook-napi key name for a KeyboardEvent.code (what settings store), or null for keys
 * the hook has no name for.
 */
export function keyCodeToUiohookName(code: string): string | null {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3)
  if (/^Digit[0-9]$/.test(code)) return code.slice(5)
  if (/^Numpad[0-9]$/.test(code) || /^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code
  return MODIFIERS[code] ?? (SAME_NAME.has(code) ? code : null)
}

/**
 * MouseEvent.button (0 left, 1 middle, 2 right, 3 back, 4 forward) to libuiohook's numbering
 * (1 left, 2 right, 3 middle, 4, 5).
 */
export function domButtonToUiohook(button: number): number {
  if (button === 1) return 3
  if (button === 2) return 2
  return button + 1
}
