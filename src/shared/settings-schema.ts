import { z } from 'zod'

/** Rates Steam's DecompressVoice accepts and our resampler targets; `optimal` defers to the backend. */
export const FIXED_SAMPLE_RATES = [11025, 16000, 22050, 24000, 32000, 44100, 48000] as const
export type FixedSampleRate = (typeof FIXED_SAMPLE_RATES)[number]

export const SampleRateSettingSchema = z.union([z.literal('optimal'), z.literal(FIXED_SAMPLE_RATES)])
export type SampleRateSetting = z.infer<typeof SampleRateSettingSchema>

// KeyboardEvent.code / uiohook names are short identifiers; anything else is not a key.
const KeyCodeSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'a key code such as "Space" or "KeyV"')

export const PushToTalkBindingSchema = z.discriminatedUnion('device', [
  z.strictObject({ device: z.literal('keyboard'), code: KeyCodeSchema }),
  z.strictObject({ device: z.literal('mouse'), button: z.int().min(0).max(15) })
])
export type PushToTalkBinding = z.infer<typeof PushToTalkBindingSchema>

export const MAX_RELEASE_DELAY_MS = 2000

// Printable text only: names travel to peers and land in other people's UIs.
const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, 'a display name is required')
  .max(32, 'at most 32 characters')
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), 'no control characters')

const DeviceIdSchema = z.string().max(256)

/** SteamID64 in decimal: how members are named across the contract (JS numbers lose its low bits). */
export const SteamIdTextSchema = z.string().regex(/^[1-9]\d{0,19}$/, 'a SteamID64 in decimal')

/** One member's playback volume (percent, 0 to 200) and mute, kept across restarts by SteamID. */
export const MemberVolumeSchema = z.strictObject({
  volume: z.int().min(0).max(200),
  muted: z.boolean()
})
export type MemberVolume = z.infer<typeof MemberVolumeSchema>
export const MAX_REMEMBERED_MEMBERS = 500
const MemberVolumesSchema = z
  .record(SteamIdTextSchema, MemberVolumeSchema)
  .refine((record) => Object.keys(record).length <= MAX_REMEMBERED_MEMBERS, `at most ${MAX_REMEMBERED_MEMBERS} members`)

/** Which voice backend: Steam when it runs (auto), or forced. Applies at the next start. */
export const VoiceBackendSettingSchema = z.enum(['auto', 'steam', 'lan'])
export type VoiceBackendSetting = z.infer<typeof VoiceBackendSettingSchema>

const settingsShape = {
  sampleRate: SampleRateSettingSchema,
  pushToTalk: PushToTalkBindingSchema,
  releaseDelayMs: z.int().min(0).max(MAX_RELEASE_DELAY_MS),
  displayName: DisplayNameSchema,
  inputDeviceId: DeviceIdSchema,
  outputDeviceId: DeviceIdSchema,
  voiceBackend: VoiceBackendSettingSchema,
  /** Our Steam app id; null = steam_appid.txt, else 480 (development). */
  steamAppId: z.int().min(1).max(4294967295).nullable(),
  /** A short tone when push-to-talk opens and closes. */
  pushToTalkSounds: z.boolean(),
  memberVolumes: MemberVolumesSchema,
  /** The UDP port LAN rooms listen on (0: any free port). Applies at the next start. */
  lanPort: z.int().min(0).max(65535)
}

export const DEFAULT_SETTINGS: Settings = {
  sampleRate: 'optimal',
  pushToTalk: { device: 'keyboard', code: 'Space' },
  releaseDelayMs: 200,
  displayName: 'Parley user',
  inputDeviceId: 'default',
  outputDeviceId: 'default',
  voiceBackend: 'auto',
  steamAppId: null,
  pushToTalkSounds: true,
  memberVolumes: {},
  lanPort: 47810
}

/** The whole settings object, as stored and as shown. */
export const SettingsSchema = z.strictObject(settingsShape)
export type Settings = z.infer<typeof SettingsSchema>

/** What a renderer may change in one call: any subset, nothing unknown. */
export const SettingsPatchSchema = z
  .strictObject(settingsShape)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'an empty change')
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

/**
 * The file on disk: a version tag around the settings. Keys missing from an older file take
 * their defaults; a wrong value anywhere makes the whole file invalid (kept aside, not guessed at).
 */
export const SETTINGS_FILE_VERSION = 1
export const SettingsFileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  settings: z.object({
    sampleRate: settingsShape.sampleRate.default(DEFAULT_SETTINGS.sampleRate),
    pushToTalk: settingsShape.pushToTalk.default(DEFAULT_SETTINGS.pushToTalk),
    releaseDelayMs: settingsShape.releaseDelayMs.default(DEFAULT_SETTINGS.releaseDelayMs),
    displayName: settingsShape.displayName.default(DEFAULT_SETTINGS.displayName),
    inputDeviceId: settingsShape.inputDeviceId.default(DEFAULT_SETTINGS.inputDeviceId),
    outputDeviceId: settingsShape.outputDeviceId.default(DEFAULT_SETTINGS.outputDeviceId),
    voiceBackend: settingsShape.voiceBackend.default(DEFAULT_SETTINGS.voiceBackend),
    steamAppId: settingsShape.steamAppId.default(DEFAULT_SETTINGS.steamAppId),
    pushToTalkSounds: settingsShape.pushToTalkSounds.default(DEFAULT_SETTINGS.pushToTalkSounds),
    memberVolumes: settingsShape.memberVolumes.default(DEFAULT_SETTINGS.memberVolumes),
    lanPort: settingsShape.lanPort.default(DEFAULT_SETTINGS.lanPort)
  })
})

/** Why the settings in use are not the ones on disk, for the UI to say. */
export const SettingsLoadProblemSchema = z.object({
  message: z.string(),
  keptAs: z.string().nullable()
})
export type SettingsLoadProblem = z.infer<typeof SettingsLoadProblemSchema>

export const SettingsStateSchema = z.object({
  settings: SettingsSchema,
  file: z.string(),
  loadProblem: SettingsLoadProblemSchema.nullable()
})
export type SettingsState = z.infer<typeof SettingsStateSchema>
