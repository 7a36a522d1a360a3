import { UNBINDABLE_KEYS, type PushToTalkBinding } from '@shared/settings-schema'
import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react'

import { bindingLabel } from './binding-label'

/**
 * A key or mouse button for an action: click, then press it (Esc cancels; Tab moves on and is
 * refused, the keyboard must be able to leave). Optional bindings can be cleared.
 */
export function BindingField({
  label,
  value,
  onChange
}: {
  label: string
  value: PushToTalkBinding | null
  onChange(binding: PushToTalkBinding | null): void
}) {
  const labelId = useId()
  const valueId = useId()
  const [listening, setListening] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (!listening) return
    setListening(false)
    // Tab keeps its job (the focus moves on); it cannot be bound.
    if (UNBINDABLE_KEYS.includes(event.code)) {
      setRefused('Tab moves between controls, so it cannot be bound here. Choose another key.')
      return
    }
    event.preventDefault()
    setRefused(null)
    if (event.code !== 'Escape' && /^[A-Za-z][A-Za-z0-9]{0,31}$/.test(event.code))
      onChange({ device: 'keyboard', code: event.code })
  }
  // The left button only starts listening; the other buttons can be bound.
  const onMouseDown = (event: MouseEvent<HTMLButtonElement>) => {
    if (!listening || event.button === 0) return
    event.preventDefault()
    setListening(false)
    onChange({ device: 'mouse', button: event.button })
  }
  return (
    <div className="field">
      <span id={labelId}>{label}</span>
      <div className="binding">
        <button
          type="button"
          aria-labelledby={`${labelId} ${valueId}`}
          aria-pressed={listening}
          data-binding-capture
          onClick={() => setListening(true)}
          onBlur={() => setListening(false)}
          onKeyDown={onKeyDown}
          onMouseDown={onMouseDown}
          onContextMenu={(event) => listening && event.preventDefault()}
        >
          <span id={valueId}>
            {listening ? 'Press a key or mouse button… (Esc cancels)' : value ? bindingLabel(value) : 'None'}
          </span>
        </button>
        {value && label !== 'Push-to-talk' && (
          <button type="button" onClick={() => onChange(null)} aria-label={`Clear the ${label.toLowerCase()}`}>
            Clear
          </button>
        )}
      </div>
      {refused && (
        <p role="alert" className="field-problem">
          {refused}
        </p>
      )}
    </div>
  )
}
