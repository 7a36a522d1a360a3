import { z } from 'zod'
import type { EventChannel, InvokeChannel } from './channels'
import { SettingsPatchSchema, SettingsStateSchema, SteamIdTextSchema } from './settings-schema'

/**
 * The one contract between the renderer and main. Every call and event is here with its
 * payload schema; main validates requests against it whatever the transport (Electron IPC or
 * the browser host's WebSocket).
 */

export const AppInfoSchema = z.object({
  name: z.literal('Parley'),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  nativeAddon: z.object({ loaded: z.boolean(), detail: z.string() }),
  /** Steam, or the embedded backend (LAN mode): why, in a player's words, and the details (Diagnostics). */
  voiceBackend: z.object({ kind: z.enum(['steam', 'embedded']), reason: z.string(), detail: z.string().nullable() })
})
export type AppInfo = z.infer<typeof AppInfoSchema>

const NoPayload = z.undefined()

export const TransmitStateSchema = z.enum(['idle', 'talking', 'draining'])
export type TransmitState = z.infer<typeof TransmitStateSchema>

/** Whether push-to-talk works while another app has focus, and if not, why. */
export const GlobalKeysStatusSchema = z.object({ active: z.boolean(), detail: z.string() })
export type GlobalKeysStatus = z.infer<typeof GlobalKeysStatusSchema>

export const VoiceStatusSchema = z.object({
  backend: z.enum(['embedded', 'steam']),
  transmit: TransmitStateSchema,
  /** Self-muted: push-to-talk sends nothing. */
  muted: z.boolean(),
  /** Deafened: nobody is heard, and (as muted) nobody hears you. */
  deafened: z.boolean(),
  /** A mic test runs: we hear ourselves through the codec; nobody else hears us. */
  micTest: z.boolean(),
  globalKeys: GlobalKeysStatusSchema,
  /** The rate received voice is decoded at now. */
  sampleRate: z.int(),
  packetsSent: z.int(),
  bytesSent: z.int(),
  framesGated: z.int(),
  /** Capture frames dropped as malformed. */
  captureRefused: z.int(),
  /** Who records the microphone: the page (through the browser), main itself, or the Steam client. */
  microphone: z.enum(['page', 'app', 'steam'])
})
export type VoiceStatus = z.infer<typeof VoiceStatusSchema>

export const VoiceActivityEventSchema = z.object({
  speaker: z.string(),
  speaking: z.boolean(),
  levelDbfs: z.number()
})

export const MemberAuthStateSchema = z.enum(['verifying', 'verified', 'rejected'])

export const RoomMemberSchema = z.object({
  id: SteamIdTextSchema,
  name: z.string(),
  auth: MemberAuthStateSchema,
  /** Why they were refused, in a player's words (the code is in the log), else null. */
  authDetail: z.string().nullable(),
  /**
   * Connected; silent for a while and being reached again (both sides keep trying for 5
   * minutes); or lost (Steam: still in the lobby, unreachable for 5 minutes; on the LAN a lost
   * member leaves the room).
   */
  connection: z.enum(['connected', 'reconnecting', 'lost']),
  rttMs: z.number().nullable()
})
export type RoomMember = z.infer<typeof RoomMemberSchema>

export const RoomStateSchema = z.object({
  mode: z.enum(['lan', 'steam']),
  self: z.object({ id: SteamIdTextSchema, name: z.string() }),
  /** LAN: the address others join ("host:port"); Steam: the lobby id, once in one. */
  joinCode: z.string().nullable(),
  /**
   * The room's own link: joining (or opening the lobby), up, being restored (Steam: the lobby
   * was lost and we are getting back in), or gone; `problem` says why, in a player's words.
   */
  connection: z.object({
    state: z.enum(['connecting', 'connected', 'reconnecting', 'lost']),
    problem: z.string().nullable()
  }),
  members: z.array(RoomMemberSchema)
})
export type RoomState = z.infer<typeof RoomStateSchema>

/** Someone to talk to: a Steam friend, or in LAN mode a room found on the network. */
export const FriendSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** "online", "away", "offline", … or for LAN rooms "3 in room". */
  state: z.string(),
  /** A data: URL, or null. */
  avatar: z.string().nullable(),
  /** What room:join takes to reach them, if they can be joined now. */
  joinCode: z.string().nullable()
})
export type Friend = z.infer<typeof FriendSchema>
export const FriendsSchema = z.object({ source: z.enum(['steam', 'lan']), friends: z.array(FriendSchema) })

/** One speaker's figures, all from their speaker stream in main (the queue's from the worklet's reports). */
export const SpeakerFiguresSchema = z.object({
  id: SteamIdTextSchema,
  /**
   * Mouth-to-ear (ms, median of recent packets): their capture time (their clock, moved onto ours
   * with the keepalives' offset) to their audio leaving our speakers (queue, transit, output).
   */
  latencyMs: z.number().nullable(),
  rttMs: z.number().nullable(),
  lossPercent: z.number(),
  /** Audio queued for them now, and the least the queue aims to keep (ms). */
  queuedMs: z.number(),
  targetMs: z.number(),
  jitterMs: z.number(),
  underruns: z.int(),
  received: z.int(),
  concealed: z.int(),
  late: z.int()
})
export type SpeakerFigures = z.infer<typeof SpeakerFiguresSchema>
/** Diagnostics: every speaker's figures, and the call's. */
export const CallStatsSchema = z.object({
  speakers: z.array(SpeakerFiguresSchema),
  dropped: z.object({ malformed: z.int(), unauthenticated: z.int() }),
  /** The output's own latency (ms), and frames the player refused. */
  playback: z.object({ outputLatencyMs: z.number(), refused: z.int() }),
  cpuPercent: z.number()
})
export type CallStats = z.infer<typeof CallStatsSchema>

export const LevelsEventSchema = z.object({
  levels: z.array(z.object({ id: z.string(), levelDbfs: z.number(), speaking: z.boolean() }))
})

/**
 * How PCM moves between main and a worklet, outside the contract: an Electron MessagePort, or a
 * WebSocket on the browser host (read or written by a Worker, never the page's main thread).
 */
export const AudioRouteSchema = z.discriminatedUnion('via', [
  z.object({ via: z.literal('message-port') }),
  z.object({ via: z.literal('websocket'), path: z.string() })
])
export type AudioRoute = z.infer<typeof AudioRouteSchema>

export const JoinRequestSchema = z.strictObject({ code: z.string().min(1).max(300) })

/** "Copy diagnostics": a plain-text report (no secrets), and where the log files are. */
export const DiagnosticsSchema = z.object({ text: z.string(), logFolder: z.string().nullable() })
export type Diagnostics = z.infer<typeof DiagnosticsSchema>

export const invokeContract = {
  'app:getInfo': { request: NoPayload, response: AppInfoSchema },
  'app:getDiagnostics': { request: NoPayload, response: DiagnosticsSchema },
  /** Opens the log folder in the system's file manager; false where this host cannot (show the path). */
  'app:openLogFolder': { request: NoPayload, response: z.boolean() },
  'settings:get': { request: NoPayload, response: SettingsStateSchema },
  'settings:update': { request: SettingsPatchSchema, response: SettingsStateSchema },
  /** Push-to-talk from the window (key or button); the release delay applies. */
  'voice:setTalking': { request: z.strictObject({ talking: z.boolean() }), response: TransmitStateSchema },
  'voice:getStatus': { request: NoPayload, response: VoiceStatusSchema },
  'voice:setMuted': { request: z.strictObject({ muted: z.boolean() }), response: VoiceStatusSchema },
  'voice:setDeafened': { request: z.strictObject({ deafened: z.boolean() }), response: VoiceStatusSchema },
  'voice:setMicTest': { request: z.strictObject({ on: z.boolean() }), response: VoiceStatusSchema },
  'room:get': { request: NoPayload, response: RoomStateSchema },
  /** Resolves once in the room (LAN: up to 10 s while the address is tried); fails in a sentence for the player. */
  'room:join': { request: JoinRequestSchema, response: RoomStateSchema },
  /** Stops a join in progress; that room:join then fails with "Stopped joining …". */
  'room:cancelJoin': { request: NoPayload, response: RoomStateSchema },
  /** Steam: opens the overlay's invite dialog for our lobby (true); LAN has none (false: copy the join code). */
  'room:invite': { request: NoPayload, response: z.boolean() },
  'room:getStats': { request: NoPayload, response: CallStatsSchema },
  'friends:list': { request: NoPayload, response: FriendsSchema },
  'playback:open': { request: NoPayload, response: AudioRouteSchema },
  /** Where the capture worklet sends microphone frames (LAN mode); same routes as playback. */
  'capture:open': { request: NoPayload, response: AudioRouteSchema }
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>

export const eventContract = {
  'settings:changed': SettingsStateSchema,
  'voice:activity': VoiceActivityEventSchema,
  'voice:status': VoiceStatusSchema,
  'room:changed': RoomStateSchema,
  /** Meters: at most 20 a second, and only while someone is audible. */
  'room:levels': LevelsEventSchema
} satisfies Record<EventChannel, z.ZodType>

export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['response']>
export type EventPayload<E extends EventChannel> = z.output<(typeof eventContract)[E]>

/** Calls without a payload take no argument. */
export type InvokeArgs<C extends InvokeChannel> =
  undefined extends InvokeRequest<C> ? [payload?: InvokeRequest<C>] : [payload: InvokeRequest<C>]

export const CONTRACT_ERROR_CODES = ['unknown-channel', 'invalid-payload', 'failed'] as const
export type ContractErrorCode = (typeof CONTRACT_ERROR_CODES)[number]

/** Every call answers with this envelope, so a refusal reads the same on both transports. */
export type InvokeResult<T> =
  { ok: true; value: T } | { ok: false; error: { code: ContractErrorCode; message: string } }

/** What the preload exposes as `window.parley`, and what the WebSocket client implements. */
export interface ParleyApi {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<InvokeResponse<C>>>
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  /** Where main can be lost and found again (the browser host): told when it goes and comes back. */
  onConnection?(listener: (connected: boolean) => void): () => void
}

/** Turns a zod failure into one line a person can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
