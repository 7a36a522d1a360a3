import os from 'node:os'
import type { AppInfo, RoomState, VoiceStatus } from '../../../shared/contract'
import { redactSecrets } from './redact-secrets'

export interface DiagnosticsFacts {
  info: AppInfo
  room: RoomState
  voice: VoiceStatus
  logFile: string | null
  recentProblems: string[]
  versions?: NodeJS.ProcessVersions
}

/**
 * What "Copy diagnostics" puts on the clipboard for a bug report: versions, mode, the room's and
 * the voice's state, and the last warnings and errors. Names and ids stay (they say who is who);
 * nothing else of the user's is in it, and anything that looks like a key or a ticket is removed.
 */
export function diagnosticsReport(facts: DiagnosticsFacts): string {
  const { info, room, voice } = facts
  const versions = facts.versions ?? process.versions
  const lines = [
    `Parley ${info.version} (${info.host} host)`,
    `System: ${process.platform} ${os.release()} ${process.arch}; Node ${versions.node}` +
      (versions.electron ? `; Electron ${versions.electron}; Chromium ${versions.chrome}` : ''),
    `Voice: ${info.voiceBackend.kind}: ${info.voiceBackend.reason}` +
      (info.voiceBackend.detail ? ` (${info.voiceBackend.detail})` : ''),
    `Native addon: ${info.nativeAddon.loaded ? 'loaded' : 'not loaded'}: ${info.nativeAddon.detail}`,
    `Microphone: ${voice.transmit}${voice.muted ? ', muted' : ''}${voice.deafened ? ', deafened' : ''}; global keys: ${voice.globalKeys.active ? 'on' : `off (${voice.globalKeys.detail})`}`,
    `Room: ${room.mode}, ${room.connection.state}${room.connection.problem ? ` (${room.connection.problem})` : ''}; join code ${room.joinCode ?? 'none'}; ${room.members.length} other member(s)`,
    ...room.members.map(
      (m) =>
        `  ${m.name} (${m.id}): ${m.connection}, ${m.auth}${m.authDetail ? ` (${m.authDetail})` : ''}` +
        (m.rttMs === null ? '' : `, round trip ${Math.round(m.rttMs)} ms`)
    ),
    `Log: ${facts.logFile ?? 'none (this host logs to the terminal only)'}`,
    `Recent warnings and errors (${facts.recentProblems.length}):`,
    ...(facts.recentProblems.length > 0 ? facts.recentProblems.map((line) => `  ${line}`) : ['  none'])
  ]
  return redactSecrets(lines.join('\n'))
}
