/** Why there is no microphone, in a player's words (what happened, what to do). */
export function microphoneMessage(failure: unknown): string {
  const name = failure === 'ended' ? 'ended' : failure instanceof Error ? failure.name : ''
  switch (name) {
    case 'ended':
      return 'The microphone stopped (unplugged?). Parley uses it again as soon as it is back.'
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Parley may not use the microphone. Allow it in the browser’s site settings (or the system’s privacy settings) and reload.'
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone found. Plug one in: Parley uses it as soon as it appears.'
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not start: another program may be using it. Parley tries again when devices change.'
    default:
      return `No microphone: ${failure instanceof Error ? failure.message : String(failure)}`
  }
}
