/** Push-to-talk's short cue: a rising pair when the microphone opens, falling when it closes. */
export function playTone(context: BaseAudioContext, kind: 'open' | 'close'): void {
  const [first, second] = kind === 'open' ? [660, 880] : [880, 660]
  const start = context.currentTime
  const gain = context.createGain()
  gain.gain.setValueAtTime(0, start)
  gain.gain.linearRampToValueAtTime(0.08, start + 0.005)
  gain.gain.setValueAtTime(0.08, start + 0.075)
  gain.gain.linearRampToValueAtTime(0, start + 0.09)
  gain.connect(context.destination)
  const oscillator = context.createOscillator()
  oscillator.frequency.setValueAtTime(first, start)
  oscillator.frequency.setValueAtTime(second, start + 0.045)
  oscillator.connect(gain)
  oscillator.start(start)
  oscillator.stop(start + 0.1)
  oscillator.onended = () => gain.disconnect()
}
