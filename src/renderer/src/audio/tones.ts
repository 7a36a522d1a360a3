/** Parley's own cues, each a few short notes (Hz): the microphone opening and closing, people coming and going, muting. */
export type ToneKind = 'open' | 'close' | 'join' | 'leave' | 'mute' | 'unmute'

const NOTES: Record<ToneKind, number[]> = {
  open: [660, 880],
  close: [880, 660],
  join: [523, 659, 784],
  leave: [784, 659, 523],
  mute: [440, 330],
  unmute: [330, 440]
}
const NOTE_S = 0.045
/** Peak gain at 100%: about -16 dBFS, under voices. */
const FULL_GAIN = 0.16

/** How long a cue lasts (s). */
export const toneSeconds = (kind: ToneKind): number => NOTES[kind].length * NOTE_S + 0.01

/** Plays a cue at `volume` (0 to 1); silent at 0. */
export function playTone(context: BaseAudioContext, kind: ToneKind, volume: number): void {
  const peak = FULL_GAIN * Math.min(1, Math.max(0, volume))
  if (peak === 0) return
  const notes = NOTES[kind]
  const start = context.currentTime
  const end = start + notes.length * NOTE_S
  const gain = context.createGain()
  gain.gain.setValueAtTime(0, start)
  gain.gain.linearRampToValueAtTime(peak, start + 0.005)
  gain.gain.setValueAtTime(peak, end - 0.015)
  gain.gain.linearRampToValueAtTime(0, end)
  gain.connect(context.destination)
  const oscillator = context.createOscillator()
  notes.forEach((frequency, i) => oscillator.frequency.setValueAtTime(frequency, start + i * NOTE_S))
  oscillator.connect(gain)
  oscillator.start(start)
  oscillator.stop(end + 0.01)
  oscillator.onended = () => gain.disconnect()
}
