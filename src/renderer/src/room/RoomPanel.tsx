import type { RoomMember } from '@shared/contract'
import type { MemberVolume } from '@shared/settings-schema'
import { useId } from 'react'
import { LevelMeter } from './LevelMeter'

const AUTH_LABELS: Record<RoomMember['auth'], string> = {
  verifying: 'Verifying…',
  verified: 'Verified',
  rejected: 'Rejected'
}

export interface RoomPanelProps {
  self: { id: string; name: string }
  members: RoomMember[]
  speaking: Record<string, boolean>
  levels: Record<string, number>
  volumes: Record<string, MemberVolume>
  onVolume(id: string, volume: MemberVolume): void
}

/** Who is in the room: you first, then everyone else with their speaking ring, meter and volume. */
export function RoomPanel({ self, members, speaking, levels, volumes, onVolume }: RoomPanelProps) {
  return (
    <section className="panel room" aria-labelledby="room-heading">
      <h2 id="room-heading">Room</h2>
      <ul aria-label="Room" className="members">
        <li className="member" data-speaking={speaking[self.id] ? 'true' : 'false'} aria-label={`${self.name} (you)`}>
          <SpeakingRing speaking={!!speaking[self.id]} name={self.name} />
          <div className="member-body">
            <span className="member-name">{self.name} (you)</span>
            <LevelMeter levelDbfs={levels[self.id] ?? -100} label={`Your microphone level`} />
          </div>
        </li>
        {members.map((member) => (
          <MemberItem
            key={member.id}
            member={member}
            speaking={!!speaking[member.id]}
            levelDbfs={levels[member.id] ?? -100}
            volume={volumes[member.id] ?? { volume: 100, muted: false }}
            onVolume={(volume) => onVolume(member.id, volume)}
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

function MemberItem({
  member,
  speaking,
  levelDbfs,
  volume,
  onVolume
}: {
  member: RoomMember
  speaking: boolean
  levelDbfs: number
  volume: MemberVolume
  onVolume(volume: MemberVolume): void
}) {
  const sliderId = useId()
  const state = speaking ? 'speaking' : 'not speaking'
  return (
    <li
      className="member"
      data-speaking={speaking ? 'true' : 'false'}
      data-auth={member.auth}
      data-connection={member.connection}
      aria-label={`${member.name}, ${member.connection === 'reconnecting' ? 'reconnecting' : state}, ${AUTH_LABELS[member.auth].toLowerCase()}`}
    >
      <SpeakingRing speaking={speaking} name={member.name} />
      <div className="member-body">
        <span className="member-name">{member.name}</span>
        {member.connection === 'reconnecting' ? (
          <span className="connection-reconnecting" role="status">
            Connection lost. Reconnecting…
          </span>
        ) : null}
        <span className={`auth auth-${member.auth}`} title={member.authDetail ?? undefined}>
          {AUTH_LABELS[member.auth]}
          {member.authDetail ? `: ${member.authDetail}` : ''}
        </span>
        <LevelMeter levelDbfs={levelDbfs} label={`${member.name}’s level`} />
        <div className="member-controls">
          <label htmlFor={sliderId}>Volume</label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={200}
            step={5}
            value={volume.volume}
            aria-label={`Volume for ${member.name}`}
            aria-valuetext={`${volume.volume}%`}
            onChange={(event) => onVolume({ ...volume, volume: Number(event.target.value) })}
          />
          <output htmlFor={sliderId}>{volume.volume}%</output>
          <button
            type="button"
            aria-pressed={volume.muted}
            aria-label={`Mute ${member.name}`}
            onClick={() => onVolume({ ...volume, muted: !volume.muted })}
          >
            {volume.muted ? 'Muted' : 'Mute'}
          </button>
        </div>
      </div>
    </li>
  )
}
