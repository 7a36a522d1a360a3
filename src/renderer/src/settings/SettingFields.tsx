import { FIXED_SAMPLE_RATES, type SampleRateSetting, type Settings } from '@shared/settings-schema'
import { useId, useState } from 'react'
import { useMediaDevices } from './use-media-devices'

/* The settings form's small fields: each a label, a control and its words. */

export function BackendField({
  value,
  onChange
}: {
  value: Settings['voiceBackend']
  onChange(value: Settings['voiceBackend']): void
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>Voice backend</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as Settings['voiceBackend'])}>
        <option value="auto">Steam when it is running, else LAN (applies at restart)</option>
        <option value="steam">Steam only (applies at restart)</option>
        <option value="lan">LAN only (applies at restart)</option>
      </select>
    </div>
  )
}

export function SampleRateField({
  value,
  onChange
}: {
  value: SampleRateSetting
  onChange(value: SampleRateSetting): void
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>Sample rate</label>
      <select
        id={id}
        value={String(value)}
        onChange={(event) =>
          onChange(event.target.value === 'optimal' ? 'optimal' : (Number(event.target.value) as SampleRateSetting))
        }
      >
        <option value="optimal">Optimal (Steam’s rate)</option>
        {FIXED_SAMPLE_RATES.map((rate) => (
          <option key={rate} value={rate}>
            {rate.toLocaleString('en-US')} Hz
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * An input that saves on Enter or when focus leaves, not on every keystroke. While the person
 * types, their draft is shown; otherwise main's saved value is.
 */
export function CommitField(props: {
  label: string
  value: string
  onCommit(value: string): void
  type?: 'text' | 'number'
  min?: number
  max?: number
  step?: number
  maxLength?: number
}) {
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const commit = () => {
    if (draft !== null && draft.trim() !== '' && draft !== props.value) props.onCommit(draft)
    setDraft(null)
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        min={props.min}
        max={props.max}
        step={props.step}
        maxLength={props.maxLength}
        value={draft ?? props.value}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === 'Enter' && commit()}
      />
    </div>
  )
}

export function DeviceField(props: {
  kind: MediaDeviceKind
  label: string
  value: string
  onChange(id: string): void
}) {
  const id = useId()
  const devices = useMediaDevices(props.kind)
  const known = props.value === 'default' || devices.some((device) => device.deviceId === props.value)
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="default">System default</option>
        {devices
          .filter((device) => device.deviceId !== 'default' && device.deviceId !== '')
          .map((device, index) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || `${props.label} ${index + 1}`}
            </option>
          ))}
        {!known && <option value={props.value}>Unavailable device</option>}
      </select>
    </div>
  )
}

export function SoundVolumeField({ value, onChange }: { value: number; onChange(volume: number): void }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>Sound volume</label>
      <div className="range-with-value">
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          step={5}
          value={value}
          aria-valuetext={value === 0 ? 'off' : `${value}%`}
          onChange={(event) => onChange(Number(event.target.value))}
        />
        <output htmlFor={id}>{value === 0 ? 'Off' : `${value}%`}</output>
      </div>
    </div>
  )
}

/** A few on/off settings under one heading. */
export function SwitchGroup({
  legend,
  settings,
  update,
  switches
}: {
  legend: string
  settings: Settings
  update(patch: Partial<Settings>): Promise<void>
  switches: Array<[SwitchKey, string]>
}) {
  return (
    <fieldset className="switch-group">
      <legend>{legend}</legend>
      {switches.map(([key, label]) => (
        <label key={key}>
          <input
            type="checkbox"
            checked={settings[key]}
            onChange={(event) => void update({ [key]: event.target.checked })}
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  )
}

type SwitchKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings]
