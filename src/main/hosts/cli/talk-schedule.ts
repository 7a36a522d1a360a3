/** When a headless peer holds push-to-talk: always, never, or in windows of seconds from start. */
export type TalkSchedule =
  { kind: 'always' } | { kind: 'never' } | { kind: 'windows'; windows: Array<[number, number]> }

export class TalkScheduleError extends Error {
  override name = 'TalkScheduleError'
}

export function parseTalkSchedule(text: string): TalkSchedule {
  if (text === 'always' || text === 'never') return { kind: text }
  const windows = text.split(',').map((part) => {
    const match = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(part.trim())
    if (!match)
      throw new TalkScheduleError(`--talk wants always, never or START-END[,START-END...] in seconds, got "${text}"`)
    const start = Number(match[1])
    const end = Number(match[2])
    if (end <= start) throw new TalkScheduleError(`--talk window ${part} ends before it starts`)
    return [start, end] as [number, number]
  })
  return { kind: 'windows', windows }
}

export function isTalking(schedule: TalkSchedule, secondsFromStart: number): boolean {
  if (schedule.kind !== 'windows') return schedule.kind === 'always'
  return schedule.windows.some(([start, end]) => secondsFromStart >= start && secondsFromStart < end)
}

/** When (seconds from start) the schedule next changes between talking and not, after `seconds`; null if never. */
export function nextTalkChange(schedule: TalkSchedule, seconds: number): number | null {
  if (schedule.kind !== 'windows') return null
  let next: number | null = null
  for (const [start, end] of schedule.windows) {
    for (const edge of [start, end]) if (edge > seconds && (next === null || edge < next)) next = edge
  }
  return next
}
