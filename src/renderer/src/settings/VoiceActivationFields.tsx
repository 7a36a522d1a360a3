import { CommitField } from './SettingFields'
import { useId } from 'react'

import { LevelMeter } from '../room/LevelMeter'

/** The level that opens the microphone, set against the microphone's own level live, and the hold. */
export function VoiceActivationFields({
  thresholdDbfs,
  holdMs,
  levelDbfs,
  onThreshold,
  onHold
}: {
  thresholdDbfs: number
  holdMs: number
  levelDbfs: number | null
  onThreshold(dbfs: number): void
  onHold(ms: number): void
}) {
  const thresholdId = useId()
  const open = levelDbfs !== null && levelDbfs >= thresholdDbfs
  return (
    <>
      <div className="field">
        <label htmlFor={thresholdId}>Voice activation level</label>
        <div className="voice-level">
          <input
            id={thresholdId}
            type="range"
            min={-70}
            max={-10}
            step={1}
            value={thresholdDbfs}
            aria-valuetext={`${thresholdDbfs} dB`}
            onChange={(event) => onThreshold(Number(event.target.value))}
          />
          <output htmlFor={thresholdId}>{thresholdDbfs} dB</output>
          {levelDbfs !== null && (
            <div className="voice-level-meter" data-open={open ? 'true' : 'false'}>
              <LevelMeter levelDbfs={levelDbfs} label="Your microphone now" />
              <span className="hint">{open ? 'Speaking: the microphone opens' : 'Quiet: below the level'}</span>
            </div>
          )}
        </div>
      </div>
      <CommitField
        label="Voice hold (ms)"
        type="number"
        value={String(holdMs)}
        min={0}
        max={3000}
        step={50}
        onCommit={(text) => onHold(Number(text))}
      />
    </>
  )
}
