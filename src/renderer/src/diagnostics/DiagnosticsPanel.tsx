import type { RoomMember, RoomStats } from '@shared/contract'
import { useEffect } from 'react'
import type { PlaybackReport } from '../audio/worklet-messages'
import type { MemberHistory } from '../room/room-store'
import { Sparkline } from './Sparkline'

const REFRESH_MS = 1000

/** Per member: latency, loss, the jitter buffer (with a minute of history) and playback underruns. */
export function DiagnosticsPanel({
  members,
  stats,
  history,
  playback,
  sampleRate,
  refresh
}: {
  members: RoomMember[]
  stats: RoomStats | null
  history: Record<string, MemberHistory>
  playback: PlaybackReport | null
  sampleRate: number | null
  refresh(): Promise<void>
}) {
  useEffect(() => {
    void refresh().catch(() => {})
    const timer = setInterval(() => void refresh().catch(() => {}), REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])
  const names = new Map(members.map((member) => [member.id, member.name]))
  return (
    <section className="panel diagnostics" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">Diagnostics</h2>
      <p className="hint">
        Playback at {sampleRate ? `${sampleRate.toLocaleString('en-US')} Hz` : '—'}
        {stats && ` · dropped: ${stats.dropped.malformed} malformed, ${stats.dropped.unauthenticated} unauthenticated`}
        {stats && ` · engine CPU ${stats.cpuPercent}%`}
        {playback && playback.refused > 0 && ` · ${playback.refused} frames refused by the player`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Latency</th>
            <th scope="col">Round trip</th>
            <th scope="col">Loss</th>
            <th scope="col">Jitter buffer</th>
            <th scope="col">Underruns</th>
            <th scope="col">Last minute (buffer, ms)</th>
          </tr>
        </thead>
        <tbody>
          {(stats?.members ?? []).map((member) => {
            const played = playback?.speakers.find((speaker) => speaker.speaker === member.id)
            const name = names.get(member.id) ?? member.id
            return (
              <tr key={member.id}>
                <th scope="row">{name}</th>
                <td>{member.latencyMs === null ? '—' : `${member.latencyMs} ms`}</td>
                <td>{member.rttMs === null ? '—' : `${member.rttMs} ms`}</td>
                <td>{member.lossPercent}%</td>
                <td>{played ? `${played.bufferedMs} ms` : `${member.jitterBufferMs} ms`}</td>
                <td>{played?.underruns ?? 0}</td>
                <td>
                  <Sparkline
                    values={history[member.id]?.jitterBufferMs ?? []}
                    max={120}
                    label={`${name}: jitter buffer over the last minute`}
                  />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {(stats?.members.length ?? 0) === 0 && <p className="hint">Nobody has talked yet.</p>}
    </section>
  )
}
