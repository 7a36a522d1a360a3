import { z } from 'zod'
import type { EventChannel, InvokeChannel } from './channels'
import { SettingsPatchSchema, SettingsStateSchema } from './settings-schema'

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
  /** Steam, or the embedded backend (LAN mode), and why. */
  voiceBackend: z.object({ kind: z.enum(['steam', 'embedded']), reason: z.string() })
})
export type AppInfo = z.infer<typeof AppInfoSchema>

const NoPayload = z.undefined()

/** At most 200 ms at 48 kHz in one push: the capture worklet sends small, regular frames. */
export const MAX_MICROPHONE_PUSH_SAMPLES = 9600

export const MicrophoneFramesSchema = z.strictObject({
  sampleRate: z.int().min(8000).max(192000),
  samples: z
    .instanceof(Int16Array)
    .refine((samples) => samples.length > 0 && samples.length <= MAX_MICROPHONE_PUSH_SAMPLES, {
      message: `1 to ${MAX_MICROPHONE_PUSH_SAMPLES} samples`
    })
})

export const TransmitStateSchema = z.enum(['idle', 'talking', 'draining'])

export const VoiceStatusSchema = z.object({
  backend: z.enum(['embedded', 'steam']),
  transmit: TransmitStateSchema,
  /** The rate received voice is decoded at now. */
  sampleRate: z.int(),
  packetsSent: z.int(),
  bytesSent: z.int(),
  framesGated: z.int()
})
export type VoiceStatus = z.infer<typeof VoiceStatusSchema>

export const VoiceActivityEventSchema = z.object({
  speaker: z.string(),
  speaking: z.boolean(),
  levelDbfs: z.number()
})

export const invokeContract = {
  'app:getInfo': { request: NoPayload, response: AppInfoSchema },
  'settings:get': { request: NoPayload, response: SettingsStateSchema },
  'settings:update': { request: SettingsPatchSchema, response: SettingsStateSchema },
  'voice:pushMicrophone': { request: MicrophoneFramesSchema, response: NoPayload },
  'voice:setTalking': { request: z.strictObject({ talking: z.boolean() }), response: TransmitStateSchema },
  'voice:getStatus': { request: NoPayload, response: VoiceStatusSchema }
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>

export const eventContract = {
  'settings:changed': SettingsStateSchema,
  'voice:activity': VoiceActivityEventSchema
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
}

/** Turns a zod failure into one line a person can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
