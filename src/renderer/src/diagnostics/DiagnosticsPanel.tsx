import type { AppInfo, CallStats, RoomMember } from '@shared/contract'
import { useEffect, useState } from 'react'
import type { MemberHistory } from '../room/room-store'
import { Sparkline } from './Sparkline'

const REFRESH_MS = 1000

/** Milliseconds as a person reads them: a tenth below 10 ms, whole above. */
export const ms = (value: number | null) =>
  value === null ? '—' : value < 10 ? `${(Math.round(value * 10) / 10).toFixed(1)} ms` : `${Math.round(value)} ms`

/** Per speaker: mouth-to-ear latency, round trip, loss, the playout queue (with a minute of history), underruns. */
export function DiagnosticsPanel({
  info,
  members,
  stats,
  history,
  sampleRate,
  refresh,
  report,
  openLogFolder
}: {
  /** This copy of Parley: versions and the details behind the status bar's words. */
  info: AppInfo | null
  members: RoomMember[]
  stats: CallStats | null
  history: Record<string, MemberHistory>
  sampleRate: number | null
  refresh(): Promise<void>
  /** The text "Copy diagnostics" copies (main's report and the page's devices). */
  report(): Promise<string>
  /** Opens the log folder; else resolves to the folder to show (null: it opened, or there is none). */
  openLogFolder(): Promise<string | null>
}) {
  const [said, setSaid] = useState<string | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(await report())
      setSaid('Copied. Paste it into your bug report.')
    } catch {
      setSaid('Could not copy: the browser refused the clipboard.')
    }
  }
  const openLogs = async () => {
    try {
      const folder = await openLogFolder()
      setSaid(folder ? `The logs are in ${folder}` : 'Opened the log folder.')
    } catch {
      setSaid('Could not reach Parley to find its logs.')
    }
  }
  useEffect(() => {
    void refresh().catch(() => {})
    const timer = setInterval(() => void refresh().catch(() => {}), REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])
  const names = new Map(members.map((member) => [member.id, member.name]))
  return (
    <section className="panel diagnostics" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">Diagnostics</h2>
      {info && (
        <dl className="about">
          <dt>Voice</dt>
          <dd>
            {info.voiceBackend.reason}
            {info.voiceBackend.detail && <span className="detail"> ({info.voiceBackend.detail})</span>}
          </dd>
          <dt>Steam binding</dt>
          <dd>{info.nativeAddon.detail}</dd>
          <dt>Parley</dt>
          <dd>
            {info.version} · {info.host === 'electron' ? 'desktop app' : 'browser host'} · {info.platform}
          </dd>
        </dl>
      )}
      <div className="diagnostics-actions">
        <button type="button" onClick={() => void copy()}>
          Copy diagnostics
        </button>
        <button type="button" onClick={() => void openLogs()}>
          Open log folder
        </button>
        <span role="status" aria-label="Diagnostics">
          {said}
        </span>
      </div>
      <p className="hint">
        Decoding at {sampleRate ? `${sampleRate.toLocaleString('en-US')} Hz` : '—'}
        {stats && ` · output latency ${ms(stats.playback.outputLatencyMs)}`}
        {stats && ` · dropped: ${stats.dropped.malformed} malformed, ${stats.dropped.unauthenticated} unauthenticated`}
        {stats && ` · engine CPU ${stats.cpuPercent}%`}
        {stats && stats.playback.refused > 0 && ` · ${stats.playback.refused} frames refused by the player`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Mouth to ear</th>
            <th scope="col">Round trip</th>
            <th scope="col">Loss</th>
            <th scope="col">Queued (target)</th>
            <th scope="col">Jitter</th>
            <th scope="col">Underruns</th>
            <th scope="col">Last minute (queued, ms)</th>
          </tr>
        </thead>
        <tbody>
          {(stats?.speakers ?? []).map((speaker) => {
            const name = names.get(speaker.id) ?? speaker.id
            return (
              <tr key={speaker.id}>
                <th scope="row">{name}</th>
                <td data-label="Mouth to ear">{ms(speaker.latencyMs)}</td>
                <td data-label="Round trip">{ms(speaker.rttMs)}</td>
                <td data-label="Loss">{speaker.lossPercent}%</td>
                <td data-label="Queued (target)">
                  {ms(speaker.queuedMs)} ({ms(speaker.targetMs)})
                </td>
                <td data-label="Jitter">{ms(speaker.jitterMs)}</td>
                <td data-label="Underruns">{speaker.underruns}</td>
                <td data-label="Last minute">
                  <Sparkline
                    values={history[speaker.id]?.queuedMs ?? []}
                    max={120}
                    label={`${name}: audio queued over the last minute`}
                  />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {(stats?.speakers.length ?? 0) === 0 && <p className="hint">Nobody has talked yet.</p>}
    </section>
  )
}
