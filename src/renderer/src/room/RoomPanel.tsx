import type { RoomMember, RoomState } from '@shared/contract'
import type { MemberVolume } from '@shared/settings-schema'
import { memo, useId, useMemo } from 'react'
import { LevelMeter } from './LevelMeter'
import { tellApart } from './member-names'

const AUTH_LABELS: Record<RoomMember['auth'], string> = {
  verifying: 'Verifying…',
  verified: 'Verified',
  rejected: 'Rejected'
}

/** What a member tile says about the link to them, when it is not simply up. */
const MEMBER_CONNECTION: Record<RoomMember['connection'], string | null> = {
  connected: null,
  reconnecting: 'Connection lost. Reconnecting…',
  lost: 'Cannot reach them. They may need to rejoin.'
}

/** The room's own link, when it is not simply up (the problem, when there is one, says more). */
const ROOM_CONNECTION: Record<RoomState['connection']['state'], string | null> = {
  connecting: 'Connecting…',
  connected: null,
  reconnecting: 'Reconnecting…',
  lost: 'Disconnected.'
}

export interface RoomPanelProps {
  self: { id: string; name: string }
  connection: RoomState['connection']
  members: RoomMember[]
  speaking: Record<string, boolean>
  levels: Record<string, number>
  volumes: Record<string, MemberVolume>
  onVolume(id: string, volume: MemberVolume): void
}

/** Who is in the room: you first, then everyone else with their speaking ring, meter and volume. */
export function RoomPanel({ self, connection, members, speaking, levels, volumes, onVolume }: RoomPanelProps) {
  const roomLine = connection.problem ?? ROOM_CONNECTION[connection.state]
  const names = useMemo(() => tellApart([self, ...members]), [self, members])
  return (
    <section className="panel room" aria-labelledby="room-heading" data-connection={connection.state}>
      <h2 id="room-heading">Room</h2>
      {roomLine && (
        <p className={`room-connection room-connection-${connection.state}`} role="status">
          {roomLine}
        </p>
      )}
      <ul aria-label="Room" className="members">
        <li
          className="member"
          data-speaking={speaking[self.id] ? 'true' : 'false'}
          aria-label={`${names.get(self.id) ?? self.name} (you)`}
        >
          <SpeakingRing speaking={!!speaking[self.id]} name={self.name} />
          <div className="member-body">
            <span className="member-name">{names.get(self.id) ?? self.name} (you)</span>
            <LevelMeter levelDbfs={levels[self.id] ?? -100} label={`Your microphone level`} />
          </div>
        </li>
        {members.map((member) => (
          <MemberItem
            key={member.id}
            member={member}
            name={names.get(member.id) ?? member.name}
            speaking={!!speaking[member.id]}
            levelDbfs={levels[member.id] ?? -100}
            volume={volumes[member.id] ?? UNCHANGED_VOLUME}
            onVolume={onVolume}
          />
        ))}
      </ul>
      {members.length === 0 && <p className="hint">Nobody else is here yet. Join someone from Friends.</p>}
    </section>
  )
}

function SpeakingRing({ speaking, name }: { speaking: boolean; name: string }) {
  return (
    <span className={`avatar${speaking ? ' avatar-speaking' : ''}`} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  )
}

const UNCHANGED_VOLUME: MemberVolume = { volume: 100, muted: false }

/** One member's row; only a row whose member, ring, meter or volume changed renders again. */
const MemberItem = memo(function MemberItem({
  member,
  name,
  speaking,
  levelDbfs,
  volume,
  onVolume
}: {
  member: RoomMember
  /** Their name, with a fingerprint where another has the same. */
  name: string
  speaking: boolean
  levelDbfs: number
  volume: MemberVolume
  onVolume(id: string, volume: MemberVolume): void
}) {
  const sliderId = useId()
  const state = speaking ? 'speaking' : 'not speaking'
  const link = MEMBER_CONNECTION[member.connection]
  return (
    <li
      className="member"
      data-speaking={speaking ? 'true' : 'false'}
      data-auth={member.auth}
      data-connection={member.connection}
      aria-label={`${name}, ${member.connection === 'connected' ? state : member.connection}, ${AUTH_LABELS[member.auth].toLowerCase()}`}
    >
      <SpeakingRing speaking={speaking} name={name} />
      <div className="member-body">
        <span className="member-name">{name}</span>
        {link ? (
          <span className={`connection-${member.connection}`} role="status">
            {link}
          </span>
        ) : null}
        <span className={`auth auth-${member.auth}`} title={member.authDetail ?? undefined}>
          {AUTH_LABELS[member.auth]}
          {member.authDetail ? `: ${member.authDetail}` : ''}
        </span>
        <LevelMeter levelDbfs={levelDbfs} label={`${name}’s level`} />
        <div className="member-controls">
          <label htmlFor={sliderId}>Volume</label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={200}
            step={5}
            value={volume.volume}
            aria-label={`Volume for ${name}`}
            aria-valuetext={`${volume.volume}%`}
            onChange={(event) => onVolume(member.id, { ...volume, volume: Number(event.target.value) })}
          />
          <output htmlFor={sliderId}>{volume.volume}%</output>
          <button
            type="button"
            aria-pressed={volume.muted}
            aria-label={`Mute ${name}`}
            onClick={() => onVolume(member.id, { ...volume, muted: !volume.muted })}
          >
            {volume.muted ? 'Muted' : 'Mute'}
          </button>
        </div>
      </div>
    </li>
  )
})
