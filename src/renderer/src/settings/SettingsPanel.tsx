import {
  FIXED_SAMPLE_RATES,
  MAX_RELEASE_DELAY_MS,
  UNBINDABLE_KEYS,
  type PushToTalkBinding,
  type SampleRateSetting,
  type Settings
} from '@shared/settings-schema'
import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { useStore } from 'zustand'
import { bindingLabel } from './binding-label'
import type { SettingsStoreApi } from './settings-store'
import { useMediaDevices } from './use-media-devices'
import { LevelMeter } from '../room/LevelMeter'

export function SettingsPanel({
  store,
  microphoneLevelDbfs = null,
  micTest,
  desktop = false,
  steamVoice = false
}: {
  store: SettingsStoreApi
  /** The microphone's level now, for setting the voice activation level against (null: not shown). */
  microphoneLevelDbfs?: number | null
  /** The mic test: whether it runs, and how to start or stop it (absent: not offered). */
  micTest?: { on: boolean; set(on: boolean): void }
  /** In the desktop app: the tray and login options. */
  desktop?: boolean
  /** Steam mode: Steam's client records the microphone (its device and processing are Steam's). */
  steamVoice?: boolean
}) {
  const state = useStore(store, (s) => s.state)
  const loadError = useStore(store, (s) => s.loadError)
  const save = useStore(store, (s) => s.save)
  const update = useStore(store, (s) => s.update)

  if (loadError) return <p role="alert">Settings could not be loaded: {loadError}</p>
  if (!state) return <p aria-busy="true">Loading settings…</p>
  const { settings } = state

  return (
    <section aria-labelledby="settings-heading" className="panel">
      <h2 id="settings-heading">Settings</h2>
      <div className="fields">
        <SampleRateField value={settings.sampleRate} onChange={(sampleRate) => void update({ sampleRate })} />
        <BindingField
          label="Push-to-talk"
          value={settings.pushToTalk}
          onChange={(pushToTalk) => pushToTalk && void update({ pushToTalk })}
        />
        <BindingField label="Mute key" value={settings.muteKey} onChange={(muteKey) => void update({ muteKey })} />
        <BindingField
          label="Deafen key"
          value={settings.deafenKey}
          onChange={(deafenKey) => void update({ deafenKey })}
        />
        <div className="field">
          <label htmlFor="input-mode">Talk by</label>
          <select
            id="input-mode"
            value={settings.inputMode}
            onChange={(event) => void update({ inputMode: event.target.value as Settings['inputMode'] })}
          >
            <option value="push-to-talk">Push-to-talk (hold the key)</option>
            <option value="voice-activation" disabled={steamVoice}>
              Voice activation (when you speak; LAN mode)
            </option>
          </select>
          {steamVoice && settings.inputMode === 'voice-activation' && (
            <p className="hint">In Steam mode you talk with push-to-talk: Steam records the microphone itself.</p>
          )}
        </div>
        {settings.inputMode === 'voice-activation' && !steamVoice && (
          <VoiceActivationFields
            thresholdDbfs={settings.voiceThresholdDbfs}
            holdMs={settings.voiceHoldMs}
            levelDbfs={microphoneLevelDbfs}
            onThreshold={(voiceThresholdDbfs) => void update({ voiceThresholdDbfs })}
            onHold={(voiceHoldMs) => void update({ voiceHoldMs })}
          />
        )}
        <CommitField
          label="Release delay (ms)"
          type="number"
          value={String(settings.releaseDelayMs)}
          min={0}
          max={MAX_RELEASE_DELAY_MS}
          step={50}
          onCommit={(text) => void update({ releaseDelayMs: Number(text) })}
        />
        <CommitField
          label="Display name"
          value={settings.displayName}
          maxLength={32}
          onCommit={(displayName) => void update({ displayName })}
        />
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={settings.pushToTalkSounds}
              onChange={(event) => void update({ pushToTalkSounds: event.target.checked })}
            />{' '}
            Sound when push-to-talk opens and closes
          </label>
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={settings.roomSounds}
              onChange={(event) => void update({ roomSounds: event.target.checked })}
            />{' '}
            Sound when someone joins or leaves
          </label>
        </div>
        <SoundVolumeField value={settings.soundVolume} onChange={(soundVolume) => void update({ soundVolume })} />
        <BackendField value={settings.voiceBackend} onChange={(voiceBackend) => void update({ voiceBackend })} />
        <DeviceField
          kind="audioinput"
          label="Microphone"
          value={settings.inputDeviceId}
          onChange={(inputDeviceId) => void update({ inputDeviceId })}
        />
        {desktop && (
          <SwitchGroup
            legend="Desktop app"
            settings={settings}
            update={update}
            switches={[
              ['closeToTray', 'Closing the window keeps Parley in the tray'],
              ['startMinimized', 'Start in the tray, without a window'],
              ['startOnLogin', 'Start Parley when I log in']
            ]}
          />
        )}
        {steamVoice ? (
          <div className="field">
            <span>Microphone processing</span>
            <p className="hint">
              In Steam mode Steam records your microphone: choose it, and its noise and echo settings, in Steam’s
              Settings → Voice.
            </p>
          </div>
        ) : (
          <SwitchGroup
            legend="Microphone processing"
            settings={settings}
            update={update}
            switches={[
              ['echoCancellation', 'Echo cancellation (for speakers instead of a headset)'],
              ['noiseSuppression', 'Noise suppression (fans, keyboards, traffic)'],
              ['strongNoiseSuppression', 'Strong noise suppression (RNNoise: loud rooms, more CPU)'],
              ['autoGainControl', 'Automatic gain (evens out a quiet or loud microphone)']
            ]}
          />
        )}
        {micTest && (
          <div className="field">
            <span>Mic test</span>
            <div className="mic-test">
              <button type="button" aria-pressed={micTest.on} onClick={() => micTest.set(!micTest.on)}>
                {micTest.on ? 'Stop the test' : 'Test your microphone'}
              </button>
              <p className="hint">
                {micTest.on
                  ? 'You hear yourself as your friends do, through the same codec. Nobody else hears you now.'
                  : 'Hear yourself back, as your friends hear you.'}
              </p>
              {micTest.on && microphoneLevelDbfs !== null && (
                <LevelMeter levelDbfs={microphoneLevelDbfs} label="Your microphone now" />
              )}
            </div>
          </div>
        )}
        <DeviceField
          kind="audiooutput"
          label="Speakers"
          value={settings.outputDeviceId}
          onChange={(outputDeviceId) => void update({ outputDeviceId })}
        />
      </div>
      <p role="status" aria-label="Saving" className={`save-status save-${save.kind}`}>
        {save.kind === 'saving' && 'Saving…'}
        {save.kind === 'saved' && 'Saved'}
        {save.kind === 'error' && `Not saved: ${save.message}`}
      </p>
      <p className="hint">Stored in {state.file}</p>
    </section>
  )
}

function BackendField({
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

function SampleRateField({ value, onChange }: { value: SampleRateSetting; onChange(value: SampleRateSetting): void }) {
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
 * A key or mouse button for an action: click, then press it (Esc cancels; Tab moves on and is
 * refused, the keyboard must be able to leave). Optional bindings can be cleared.
 */
function BindingField({
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

/**
 * An input that saves on Enter or when focus leaves, not on every keystroke. While the person
 * types, their draft is shown; otherwise main's saved value is.
 */
function CommitField(props: {
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

function DeviceField(props: { kind: MediaDeviceKind; label: string; value: string; onChange(id: string): void }) {
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

/** A settings file that could not be read: shown above every view until dismissed. */
export function SettingsProblemNotice({ store }: { store: SettingsStoreApi }) {
  const loadProblem = useStore(store, (s) => s.state?.loadProblem ?? null)
  const dismissed = useStore(store, (s) => s.problemDismissed)
  const dismiss = useStore(store, (s) => s.dismissProblem)
  if (!loadProblem || dismissed) return null
  return (
    <div role="alert" className="notice">
      <p>{loadProblem.message}</p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  )
}

function SoundVolumeField({ value, onChange }: { value: number; onChange(volume: number): void }) {
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

/** The level that opens the microphone, set against the microphone's own level live, and the hold. */
function VoiceActivationFields({
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

type SwitchKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings]

/** A few on/off settings under one heading. */
function SwitchGroup({
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
