import type { TransmitState } from '@shared/contract'

/**
 * The big button: hold it (pointer, or Space/Enter while it has focus) to talk. It shows
 * whether the microphone is open, including the release delay and the tail after letting go,
 * and never says On air while no microphone delivers.
 */
export function PushToTalkButton({
  transmit,
  bindingLabel,
  microphoneLive = true,
  muted = false,
  deafened = false,
  onPress,
  onMute,
  onDeafen
}: {
  transmit: TransmitState
  bindingLabel: string
  /** False while there is no live microphone: held, it says so instead of On air. */
  microphoneLive?: boolean
  /** Self-muted (deafened implies it): push-to-talk sends nothing. */
  muted?: boolean
  deafened?: boolean
  onPress(pressed: boolean): void
  onMute?(muted: boolean): void
  onDeafen?(deafened: boolean): void
}) {
  // Held (the key or the button) is one thing; being heard needs a microphone too.
  const live = transmit !== 'idle'
  const onAir = live && microphoneLive
  return (
    <div className="ptt">
      <button
        type="button"
        className={`ptt-button${onAir ? ' ptt-live' : ''}`}
        aria-pressed={live}
        aria-describedby="ptt-hint"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture?.(event.pointerId)
          onPress(true)
        }}
        onPointerUp={() => onPress(false)}
        onPointerCancel={() => onPress(false)}
        onKeyDown={(event) => {
          if (event.key !== ' ' && event.key !== 'Enter') return
          event.preventDefault()
          if (!event.repeat) onPress(true)
        }}
        onKeyUp={(event) => {
          if (event.key === ' ' || event.key === 'Enter') onPress(false)
        }}
        onBlur={() => onPress(false)}
      >
        Push to talk
      </button>
      <p id="ptt-hint" className="hint">
        {deafened
          ? 'Deafened: you hear nobody, and nobody hears you'
          : muted
            ? 'Muted: nobody hears you'
            : !microphoneLive
              ? 'No microphone: nobody hears you'
              : live
                ? transmit === 'talking'
                  ? 'On air'
                  : 'Finishing…'
                : `Hold ${bindingLabel} or this button`}
      </p>
      {(onMute || onDeafen) && (
        <div className="self-controls">
          {onMute && (
            <button type="button" aria-pressed={muted} disabled={deafened} onClick={() => onMute(!muted)}>
              {muted ? 'Unmute' : 'Mute'}
            </button>
          )}
          {onDeafen && (
            <button type="button" aria-pressed={deafened} onClick={() => onDeafen(!deafened)}>
              {deafened ? 'Undeafen' : 'Deafen'}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
