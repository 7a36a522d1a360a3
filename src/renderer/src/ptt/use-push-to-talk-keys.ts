import type { PushToTalkBinding } from '@shared/settings-schema'
import { useEffect } from 'react'

/** Typing in a field, or choosing a new binding, is not push-to-talk. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  return target.closest('input, textarea, select, [contenteditable="true"], [data-binding-capture]') !== null
}

/** Keys a focused control acts on itself: pressing them there is using the control, never talking. */
const CONTROL_KEYS = new Set(['Space', 'Enter', 'NumpadEnter'])
const CONTROLS =
  'button, a[href], summary, [role="button"], [role="tab"], [role="checkbox"], [role="switch"], [role="menuitem"]'

/** Whether this key, on this target, belongs to the control (Space on a focused button clicks it). */
export function keyBelongsToControl(code: string, target: EventTarget | null): boolean {
  return CONTROL_KEYS.has(code) && target instanceof Element && target.closest(CONTROLS) !== null
}

/**
 * The bound key or mouse button while the window has focus (the global hook covers the rest;
 * main counts both as one). Key repeats are ignored; losing focus lets go.
 */
export function usePushToTalkKeys(binding: PushToTalkBinding | null, setPressed: (pressed: boolean) => void): void {
  useEffect(() => {
    if (!binding) return
    const onKeyDown = (event: KeyboardEvent) => {
      if (binding.device !== 'keyboard' || event.code !== binding.code) return
      if (isTypingTarget(event.target) || keyBelongsToControl(event.code, event.target)) return
      event.preventDefault()
      if (!event.repeat) setPressed(true)
    }
    const onKeyUp = (event: KeyboardEvent) => {
      if (binding.device !== 'keyboard' || event.code !== binding.code) return
      event.preventDefault()
      setPressed(false)
    }
    const onMouseDown = (event: MouseEvent) => {
      if (binding.device === 'mouse' && event.button === binding.button && !isTypingTarget(event.target)) {
        setPressed(true)
      }
    }
    const onMouseUp = (event: MouseEvent) => {
      if (binding.device === 'mouse' && event.button === binding.button) setPressed(false)
    }
    const onBlur = () => setPressed(false)
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('keyup', onKeyUp)
    window.addEventListener('mousedown', onMouseDown)
    window.addEventListener('mouseup', onMouseUp)
    window.addEventListener('blur', onBlur)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('keyup', onKeyUp)
      window.removeEventListener('mousedown', onMouseDown)
      window.removeEventListener('mouseup', onMouseUp)
      window.removeEventListener('blur', onBlur)
    }
  }, [binding, setPressed])
}

/**
 * Mute and deafen keys while the window has focus, when the global hook does not already see
 * them (it would toggle twice). Each press toggles.
 */
export function useToggleKeys(
  keys: { mute: PushToTalkBinding | null; deafen: PushToTalkBinding | null },
  enabled: boolean,
  onToggle: (action: 'mute' | 'deafen') => void
): void {
  const { mute, deafen } = keys
  useEffect(() => {
    if (!enabled || (!mute && !deafen)) return
    const matches = (binding: PushToTalkBinding | null, event: KeyboardEvent | MouseEvent) =>
      binding !== null &&
      (event instanceof KeyboardEvent
        ? binding.device === 'keyboard' && binding.code === event.code
        : binding.device === 'mouse' && binding.button === event.button)
    const onPress = (event: KeyboardEvent | MouseEvent) => {
      if (isTypingTarget(event.target) || (event instanceof KeyboardEvent && event.repeat)) return
      if (event instanceof KeyboardEvent && keyBelongsToControl(event.code, event.target)) return
      const action = matches(mute, event) ? 'mute' : matches(deafen, event) ? 'deafen' : null
      if (!action) return
      event.preventDefault()
      onToggle(action)
    }
    window.addEventListener('keydown', onPress)
    window.addEventListener('mousedown', onPress)
    return () => {
      window.removeEventListener('keydown', onPress)
      window.removeEventListener('mousedown', onPress)
    }
  }, [mute, deafen, enabled, onToggle])
}
