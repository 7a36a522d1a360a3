import type { AppInfo, CallStats, Diagnostics, Friend, RoomState, VoiceStatus } from '@shared/contract'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ContractClient } from '../bridge/contract-client'
import { createLevelThrottle, LEVEL_FLUSH_MS } from './level-throttle'
import { meterStep } from './LevelMeter'

/** Points kept per member for the diagnostics plot (one a second: a minute). */
export const HISTORY_POINTS = 60

export interface MemberHistory {
  queuedMs: number[]
  latencyMs: number[]
}

export interface RoomView {
  info: AppInfo | null
  room: RoomState | null
  status: VoiceStatus | null
  /** Whether each speaker (our own id included) is speaking now. */
  speaking: Record<string, boolean>
  /** Meter levels in dBFS, refreshed at most about 30 times a second. */
  levels: Record<string, number>
  friends: { source: 'steam' | 'lan'; list: Friend[] } | null
  stats: CallStats | null
  history: Record<string, MemberHistory>
  /** Why there is no sound, for the status bar. */
  audioProblem: string | null
  /** Whether the microphone delivers now (null: not ours to capture, e.g. Steam has it). */
  microphoneLive: boolean | null
  /** Why there is no microphone, in a player's words (its own slot: sound problems never hide it). */
  microphoneProblem: string | null
  joinError: string | null
  /** The code being joined, while a join is in progress (it can take 10 s to give up). */
  joining: string | null
  /** False while the page has lost Parley (the browser host stopped or froze); it reconnects by itself. */
  hostConnected: boolean
  /** Push-to-talk held in this window (key or button). */
  pressed: boolean
  load(): Promise<void>
  join(code: string): Promise<boolean>
  cancelJoin(): void
  /** Steam's invite dialog; false where there is none (LAN: the join code is the invite). */
  invite(): Promise<boolean>
  setPressed(pressed: boolean): void
  setMuted(muted: boolean): void
  setDeafened(deafened: boolean): void
  setMicTest(on: boolean): void
  refreshFriends(): Promise<void>
  refreshStats(): Promise<void>
  /** Main's report for "Copy diagnostics" and where its logs are. */
  diagnostics(): Promise<Diagnostics>
  /** Opens the log folder; false where this host cannot (the page shows the folder instead). */
  openLogFolder(): Promise<boolean>
  setLocalLevel(levelDbfs: number): void
  setAudioProblem(problem: string | null): void
  setHostConnected(connected: boolean): void
  setMicrophone(live: boolean | null, problem: string | null): void
}

export type RoomStoreApi = StoreApi<RoomView> & { dispose(): void }

/** The room as the window shows it: main's state mirrored, with meters throttled for React. */
export function createRoomStore(client: ContractClient): RoomStoreApi {
  const throttle = createLevelThrottle(
    (levels) => store.setState((s) => ({ levels: { ...s.levels, ...levels } })),
    LEVEL_FLUSH_MS,
    () => performance.now(),
    meterStep
  )
  // A voice switch (mute, deafen, mic test) answers with the status it made: shown at once.
  const applyStatus = (answer: Promise<VoiceStatus>): void =>
    void answer.then((status) => store.setState({ status })).catch(() => {})
  const store = createStore<RoomView>()((set, get) => ({
    info: null,
    room: null,
    status: null,
    speaking: {},
    levels: {},
    friends: null,
    stats: null,
    history: {},
    audioProblem: null,
    microphoneLive: null,
    microphoneProblem: null,
    joinError: null,
    joining: null,
    hostConnected: true,
    pressed: false,
    async load() {
      const [info, room, status] = await Promise.all([
        client.call('app:getInfo'),
        client.call('room:get'),
        client.call('voice:getStatus')
      ])
      set({ info, room, status })
      await get().refreshFriends()
    },
    async join(code) {
      set({ joining: code, joinError: null })
      try {
        set({ room: await client.call('room:join', { code }), joinError: null })
        return true
      } catch (error) {
        set({ joinError: (error as Error).message })
        return false
      } finally {
        set({ joining: null })
      }
    },
    cancelJoin() {
      client.call('room:cancelJoin').catch(() => {})
    },
    invite() {
      return client.call('room:invite').catch(() => false)
    },
    diagnostics: () => client.call('app:getDiagnostics'),
    openLogFolder: () => client.call('app:openLogFolder').catch(() => false),
    setMuted: (muted) => applyStatus(client.call('voice:setMuted', { muted })),
    setMicTest: (on) => applyStatus(client.call('voice:setMicTest', { on })),
    setDeafened: (deafened) => applyStatus(client.call('voice:setDeafened', { deafened })),
    setPressed(pressed) {
      if (get().pressed === pressed) return
      set({ pressed })
      client.call('voice:setTalking', { talking: pressed }).catch(() => {})
    },
    async refreshFriends() {
      const { source, friends } = await client.call('friends:list')
      set({ friends: { source, list: friends } })
    },
    async refreshStats() {
      const stats = await client.call('room:getStats')
      const history = { ...get().history }
      for (const speaker of stats.speakers) {
        const previous = history[speaker.id] ?? { queuedMs: [], latencyMs: [] }
        history[speaker.id] = {
          queuedMs: [...previous.queuedMs, speaker.queuedMs].slice(-HISTORY_POINTS),
          latencyMs: [...previous.latencyMs, speaker.latencyMs ?? 0].slice(-HISTORY_POINTS)
        }
      }
      set({ stats, history })
    },
    setLocalLevel(levelDbfs) {
      const self = get().room?.self.id
      if (self) throttle.push(self, levelDbfs)
    },
    setAudioProblem: (audioProblem) => set({ audioProblem }),
    setHostConnected: (hostConnected) => set({ hostConnected }),
    setMicrophone: (microphoneLive, microphoneProblem) => set({ microphoneLive, microphoneProblem })
  }))
  const stops = [
    client.on('room:changed', (room) => store.setState({ room })),
    client.on('voice:status', (status) => store.setState({ status })),
    client.on('voice:activity', ({ speaker, speaking }) =>
      store.setState((s) => ({ speaking: { ...s.speaking, [speaker]: speaking } }))
    ),
    client.on('room:levels', ({ levels }) => {
      for (const { id, levelDbfs } of levels) throttle.push(id, levelDbfs)
    })
  ]
  return Object.assign(store, {
    dispose() {
      throttle.cancel()
      for (const stop of stops) stop()
    }
  })
}
