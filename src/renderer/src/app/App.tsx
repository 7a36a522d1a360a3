import type { AppInfo, RoomMember, TransmitState } from '@shared/contract'
import type { MemberVolume } from '@shared/settings-schema'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useStore } from 'zustand'
import { DiagnosticsPanel } from '../diagnostics/DiagnosticsPanel'
import { FriendsPanel } from '../friends/FriendsPanel'
import { PushToTalkButton } from '../ptt/PushToTalkButton'
import { usePushToTalkKeys, useToggleKeys } from '../ptt/use-push-to-talk-keys'
import { RoomPanel } from '../room/RoomPanel'
import type { RoomStoreApi, RoomView } from '../room/room-store'
import { bindingLabel } from '../settings/binding-label'
import { useMediaDevices } from '../settings/use-media-devices'
import { SettingsPanel } from '../settings/SettingsPanel'
import { SettingsProblemNotice } from '../settings/SettingsProblemNotice'
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
  // Each piece on its own: meters change 30 times a second, and must not re-render the rest.
  const info = useStore(room, (s) => s.info)
  const roomState = useStore(room, (s) => s.room)
  const status = useStore(room, (s) => s.status)
  const friends = useStore(room, (s) => s.friends)
  const joinError = useStore(room, (s) => s.joinError)
  const join = useStore(room, (s) => s.join)
  const joining = useStore(room, (s) => s.joining)
  const cancelJoin = useStore(room, (s) => s.cancelJoin)
  const invite = useStore(room, (s) => s.invite)
  const refreshFriends = useStore(room, (s) => s.refreshFriends)
  const audioProblem = useStore(room, (s) => s.audioProblem)
  const hostConnected = useStore(room, (s) => s.hostConnected)
  const microphoneLive = useStore(room, (s) => s.microphoneLive)
  const microphoneProblem = useStore(room, (s) => s.microphoneProblem)
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
  const setMuted = useStore(room, (s) => s.setMuted)
  const setDeafened = useStore(room, (s) => s.setDeafened)
  const binding = settingsState?.settings.pushToTalk ?? null
  usePushToTalkKeys(binding, setPressed)
  const onToggle = useCallback(
    (action: 'mute' | 'deafen') => {
      const current = room.getState().status
      if (action === 'mute') setMuted(!(current?.muted ?? false))
      else setDeafened(!(current?.deafened ?? false))
    },
    [room, setMuted, setDeafened]
  )
  useToggleKeys(
    { mute: settingsState?.settings.muteKey ?? null, deafen: settingsState?.settings.deafenKey ?? null },
    !(status?.globalKeys.active ?? false),
    onToggle
  )

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
        <OnAirIndicator
          transmit={status?.transmit ?? 'idle'}
          microphoneLive={microphoneLive !== false}
          muted={status?.muted ?? false}
          deafened={status?.deafened ?? false}
        />
        <nav aria-label="Views">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" aria-current={view === id ? 'page' : undefined} onClick={() => setView(id)}>
              {label}
            </button>
          ))}
        </nav>
      </header>
      <main>
        {!hostConnected && (
          <p role="alert" className="host-lost">
            Lost the connection to Parley. Reconnecting… (is <code>npm run serve</code> still running?)
          </p>
        )}
        <SettingsProblemNotice store={settings} />
        {loadError && <p role="alert">Parley could not load the room: {loadError}</p>}
        {view === 'room' && (
          <div className="room-view">
            {friends && (
              <FriendsPanel
                source={friends.source}
                friends={friends.list}
                joinCode={roomState?.joinCode ?? null}
                joinError={joinError}
                joining={joining}
                onJoin={join}
                onCancelJoin={cancelJoin}
                onInvite={invite}
                onRefresh={() => void refreshFriends()}
              />
            )}
            <div className="room-column">
              {roomState && <LiveRoomPanel room={room} state={roomState} volumes={volumes} onVolume={onVolume} />}
              <PushToTalkButton
                transmit={status?.transmit ?? 'idle'}
                microphoneLive={microphoneLive !== false}
                muted={status?.muted ?? false}
                deafened={status?.deafened ?? false}
                onMute={setMuted}
                onDeafen={setDeafened}
                bindingLabel={binding ? bindingLabel(binding) : 'the push-to-talk key'}
                onPress={setPressed}
              />
            </div>
          </div>
        )}
        {view === 'settings' && (
          <LiveSettingsPanel
            room={room}
            settings={settings}
            desktop={info?.host === 'electron'}
            steamVoice={info?.voiceBackend.kind === 'steam'}
          />
        )}
        {view === 'diagnostics' && (
          <LiveDiagnosticsPanel
            info={info}
            room={room}
            members={roomState?.members ?? []}
            sampleRate={status?.sampleRate ?? null}
            refresh={refreshStats}
          />
        )}
      </main>
      <StatusBar
        info={info}
        status={status}
        room={roomState?.connection ?? null}
        audioProblem={audioProblem}
        microphoneProblem={microphoneProblem}
      />
    </div>
  )
}

/** The room with its live meters and speaking rings: the only part that follows them. */
function LiveRoomPanel({
  room,
  state,
  volumes,
  onVolume
}: {
  room: RoomStoreApi
  state: NonNullable<RoomView['room']>
  volumes: Record<string, MemberVolume>
  onVolume(id: string, volume: MemberVolume): void
}) {
  const speaking = useStore(room, (s) => s.speaking)
  const levels = useStore(room, (s) => s.levels)
  return (
    <RoomPanel
      self={state.self}
      connection={state.connection}
      members={state.members}
      speaking={speaking}
      levels={levels}
      volumes={volumes}
      onVolume={onVolume}
    />
  )
}

function LiveDiagnosticsPanel({
  info,
  room,
  members,
  sampleRate,
  refresh
}: {
  info: AppInfo | null
  room: RoomStoreApi
  members: RoomMember[]
  sampleRate: number | null
  refresh(): Promise<void>
}) {
  const stats = useStore(room, (s) => s.stats)
  const history = useStore(room, (s) => s.history)
  const microphones = useMediaDevices('audioinput')
  const speakers = useMediaDevices('audiooutput')
  const report = useCallback(async () => {
    const { text } = await room.getState().diagnostics()
    const devices = (list: MediaDeviceInfo[]) => list.map((d) => d.label || 'unnamed').join('; ') || 'none'
    return [
      text,
      `Page: ${navigator.userAgent}`,
      `Microphones: ${devices(microphones)}`,
      `Speakers: ${devices(speakers)}`
    ].join('\n')
  }, [room, microphones, speakers])
  return (
    <DiagnosticsPanel
      info={info}
      members={members}
      stats={stats}
      history={history}
      sampleRate={sampleRate}
      refresh={refresh}
      report={report}
      openLogFolder={async () => {
        if (await room.getState().openLogFolder()) return null
        return (await room.getState().diagnostics()).logFolder
      }}
    />
  )
}

/** In the header, so it shows in every view: whether others hear you now. */
function OnAirIndicator({
  transmit,
  microphoneLive,
  muted,
  deafened
}: {
  transmit: TransmitState
  microphoneLive: boolean
  muted: boolean
  deafened: boolean
}) {
  const held = transmit !== 'idle'
  const state = deafened ? 'deafened' : muted ? 'muted' : held ? (microphoneLive ? 'on-air' : 'no-microphone') : 'off'
  const words = {
    deafened: 'Deafened',
    muted: 'Muted',
    'on-air': 'On air',
    'no-microphone': 'No microphone',
    off: 'Mic off'
  }[state]
  return (
    <span
      className={`on-air-indicator${state === 'on-air' ? ' on-air' : ''}`}
      role="status"
      aria-label="Microphone"
      data-state={state}
    >
      {words}
    </span>
  )
}

/** Settings, with the microphone's live level for voice activation (the only part that follows it). */
function LiveSettingsPanel({
  room,
  settings,
  desktop,
  steamVoice
}: {
  room: RoomStoreApi
  settings: SettingsStoreApi
  desktop: boolean
  steamVoice: boolean
}) {
  const self = useStore(room, (s) => s.room?.self.id ?? null)
  const on = useStore(room, (s) => s.status?.micTest ?? false)
  // The level re-renders the whole panel 20 times a second: only while a meter here shows it.
  const metered = useStore(settings, (s) => on || s.state?.settings.inputMode === 'voice-activation')
  const level = useStore(room, (s) => (self && metered ? (s.levels[self] ?? null) : null))
  const set = useStore(room, (s) => s.setMicTest)
  const micTest = useMemo(() => ({ on, set }), [on, set])
  return (
    <SettingsPanel
      store={settings}
      microphoneLevelDbfs={level}
      micTest={micTest}
      desktop={desktop}
      steamVoice={steamVoice}
    />
  )
}
