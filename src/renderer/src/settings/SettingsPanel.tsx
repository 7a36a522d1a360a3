import { MAX_RELEASE_DELAY_MS, type Settings } from '@shared/settings-schema'
import { useStore } from 'zustand'

import type { SettingsStoreApi } from './settings-store'

import { LevelMeter } from '../room/LevelMeter'

import { BindingField } from './BindingField'

import { BackendField, CommitField, DeviceField, SampleRateField, SoundVolumeField, SwitchGroup } from './SettingFields'

import { VoiceActivationFields } from './VoiceActivationFields'

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
          <>
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
            <p className="hint">
              With a headset, the default microphone and echo cancellation and automatic gain off, Parley records your
              microphone itself: your voice reaches friends sooner and your computer does less. Echo cancellation,
              automatic gain or another microphone go through the browser’s audio processing.
            </p>
          </>
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
