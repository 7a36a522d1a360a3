import type { MemberVolume } from '@shared/settings-schema'
import { useCallback, useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { DiagnosticsPanel } from '../diagnostics/DiagnosticsPanel'
import { FriendsPanel } from '../friends/FriendsPanel'
import { PushToTalkButton } from '../ptt/PushToTalkButton'
import { usePushToTalkKeys } from '../ptt/use-push-to-talk-keys'
import { RoomPanel } from '../room/RoomPanel'
import type { RoomStoreApi } from '../room/room-store'
import { bindingLabel } from '../settings/binding-label'
import { SettingsPanel, SettingsProblemNotice } from '../settings/SettingsPanel'
import type { SettingsStoreApi } from '../settings/settings-store'
import { StatusBar } from './StatusBar'

type View = 'room' | 'settings' | 'diagnostics'
const VIEWS: Array<[View, string]> = [
  ['room', 'Room'],
  ['settings', 'Settings'],
  ['diagnostics', 'Diagnostics']
]

export function App({ room, settings }: { room: RoomStoreApi; settings: SettingsStoreApi }) {
  const [view, setView] = useState<View>('room')
  const [loadError, setLoadError] = useState<string | null>(null)
  const state = useStore(room)
  const settingsState = useStore(settings, (s) => s.state)
  const updateSettings = useStore(settings, (s) => s.update)

  useEffect(() => {
    void settings.getState().load()
    room
      .getState()
      .load()
      .catch((error: Error) => setLoadError(error.message))
  }, [room, settings])

  const setPressed = useStore(room, (s) => s.setPressed)
  const binding = settingsState?.settings.pushToTalk ?? null
  usePushToTalkKeys(binding, setPressed)

  const volumes = settingsState?.settings.memberVolumes ?? {}
  const onVolume = useCallback(
    (id: string, volume: MemberVolume) => {
      const current = settings.getState().state?.settings.memberVolumes ?? {}
      void updateSettings({ memberVolumes: { ...current, [id]: volume } })
    },
    [settings, updateSettings]
  )
  const refreshStats = useStore(room, (s) => s.refreshStats)

  return (
    <div className="app">
      <header className="app-header">
        <h1>Parley</h1>
        <nav aria-label="Views">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" aria-current={view === id ? 'page' : undefined} onClick={() => setView(id)}>
              {label}
            </button>
          ))}
        </nav>
      </header>
      <main>
        <SettingsProblemNotice store={settings} />
        {loadError && <p role="alert">Parley could not load the room: {loadError}</p>}
        {view === 'room' && (
          <div className="room-view">
            {state.friends && (
              <FriendsPanel
                source={state.friends.source}
                friends={state.friends.list}
                joinCode={state.room?.joinCode ?? null}
                joinError={state.joinError}
                onJoin={state.join}
                onRefresh={() => void state.refreshFriends()}
              />
            )}
            <div className="room-column">
              {state.room && (
                <RoomPanel
                  self={state.room.self}
                  members={state.room.members}
                  speaking={state.speaking}
                  levels={state.levels}
                  volumes={volumes}
                  onVolume={onVolume}
                />
              )}
              <PushToTalkButton
                transmit={state.status?.transmit ?? 'idle'}
                bindingLabel={binding ? bindingLabel(binding) : 'the push-to-talk key'}
                onPress={setPressed}
              />
            </div>
          </div>
        )}
        {view === 'settings' && <SettingsPanel store={settings} />}
        {view === 'diagnostics' && (
          <DiagnosticsPanel
            members={state.room?.members ?? []}
            stats={state.stats}
            history={state.history}
            playback={state.playback}
            sampleRate={state.status?.sampleRate ?? null}
            refresh={refreshStats}
          />
        )}
      </main>
      <StatusBar info={state.info} status={state.status} audioProblem={state.audioProblem} />
    </div>
  )
}
