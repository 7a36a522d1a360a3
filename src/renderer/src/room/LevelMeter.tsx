/** dBFS to a 0..1 meter position: -60 dBFS and below is empty, 0 dBFS full. */
export function meterFraction(levelDbfs: number): number {
  return Math.max(0, Math.min(1, (levelDbfs + 60) / 60))
}

/** What a meter shows, in whole percent: levels that differ by less show the same. */
export function meterStep(levelDbfs: number): number {
  return Math.round(meterFraction(levelDbfs) * 100)
}

export function LevelMeter({ levelDbfs, label }: { levelDbfs: number; label: string }) {
  const fraction = meterFraction(levelDbfs)
  return (
    <div
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="level-fill" style={{ transform: `scaleX(${fraction})` }} />
    </div>
  )
}
