import type { AppInfo, RoomState, VoiceStatus } from '@shared/contract'

const ROOM_WORDS: Record<RoomState['connection']['state'], string> = {
  connecting: 'Connecting to the room…',
  connected: '',
  reconnecting: 'Reconnecting to the room…',
  lost: 'Not in a room'
}

/** Steam or LAN mode and why, whether push-to-talk works globally, and any audio problem. */
export function StatusBar({
  info,
  status,
  room,
  audioProblem,
  microphoneProblem
}: {
  info: AppInfo | null
  status: VoiceStatus | null
  /** The room's own link; shown only when it is not up. */
  room: RoomState['connection'] | null
  audioProblem: string | null
  microphoneProblem: string | null
}) {
  return (
    <footer className="status-bar" aria-label="Status">
      {info ? (
        <>
          <span
            className={`voice-mode voice-mode-${info.voiceBackend.kind}`}
            title={info.voiceBackend.detail ?? undefined}
          >
            {info.voiceBackend.reason}
          </span>
          {status && (
            <span className={`global-keys global-keys-${status.globalKeys.active ? 'on' : 'off'}`}>
              {' '}
              · {status.globalKeys.active ? 'Global push-to-talk: ' : 'Push-to-talk in this window only: '}
              {status.globalKeys.detail}
            </span>
          )}
          {room && room.state !== 'connected' && (
            <span className={`room-state room-state-${room.state}`} title={room.problem ?? undefined}>
              {' '}
              · {ROOM_WORDS[room.state]}
            </span>
          )}
          {microphoneProblem && (
            <span role="alert" className="audio-problem microphone-problem">
              {' '}
              · {microphoneProblem}
            </span>
          )}
          {audioProblem && (
            <span role="alert" className="audio-problem">
              {' '}
              · {audioProblem}
            </span>
          )}
          <span className="version">
            {' '}
            · Parley {info.version} ({info.host === 'electron' ? 'desktop app' : 'browser host'})
          </span>
        </>
      ) : (
        <span>Connecting…</span>
      )}
    </footer>
  )
}
