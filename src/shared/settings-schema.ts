import { z } from 'zod'

/** Rates Steam's DecompressVoice accepts and our resampler targets; `optimal` defers to the backend. */
export const FIXED_SAMPLE_RATES = [11025, 16000, 22050, 24000, 32000, 44100, 48000] as const
export type FixedSampleRate = (typeof FIXED_SAMPLE_RATES)[number]

export const SampleRateSettingSchema = z.union([z.literal('optimal'), z.literal(FIXED_SAMPLE_RATES)], {
  error: 'Optimal, or one of 11025, 16000, 22050, 24000, 32000, 44100, 48000 Hz'
})
export type SampleRateSetting = z.infer<typeof SampleRateSettingSchema>

/** Keys that move around the window: bound to push-to-talk, the keyboard could not leave the field. */
export const UNBINDABLE_KEYS = ['Tab']

// KeyboardEvent.code / uiohook names are short identifiers; anything else is not a key.
const KeyCodeSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'a key such as Space or V')
  .refine((code) => !UNBINDABLE_KEYS.includes(code), 'Tab moves between controls; choose another key')

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
  /** A key that mutes and unmutes you (none by default). */
  muteKey: PushToTalkBindingSchema.nullable(),
  /** A key that deafens you (you hear nobody, and nobody hears you) and back. */
  deafenKey: PushToTalkBindingSchema.nullable(),
  /** How the microphone opens: while a key is held, or when you speak (LAN mode: Steam has its own). */
  inputMode: z.enum(['push-to-talk', 'voice-activation']),
  /** Voice activation: a frame at least this loud (dBFS) opens the microphone. */
  voiceThresholdDbfs: z.int('a whole number of dB').min(-90, 'from -90 to 0 dB').max(0, 'from -90 to 0 dB'),
  /** Voice activation: quieter than the threshold this long closes it. */
  voiceHoldMs: z.int('a whole number of milliseconds').min(0, 'from 0 to 3000 ms').max(3000, 'from 0 to 3000 ms'),
  releaseDelayMs: z
    .int('a whole number of milliseconds')
    .min(0, 'at least 0 ms')
    .max(MAX_RELEASE_DELAY_MS, `at most ${MAX_RELEASE_DELAY_MS} ms`),
  displayName: DisplayNameSchema,
  inputDeviceId: DeviceIdSchema,
  /** The browser's capture processing (Chromium's WebRTC audio processing). */
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  /** RNNoise on the microphone after the browser's processing (LAN mode; Steam captures itself). */
  strongNoiseSuppression: z.boolean(),
  /** Off by default: its slow gain ramps fight the silence gate, which decides by level what is speech. */
  autoGainControl: z.boolean(),
  outputDeviceId: DeviceIdSchema,
  voiceBackend: VoiceBackendSettingSchema,
  /** Our Steam app id; null = steam_appid.txt, else 480 (development). */
  steamAppId: z.int('a Steam app id (a whole number)').min(1, 'a Steam app id (1 or more)').max(4294967295).nullable(),
  /** A short tone when push-to-talk opens and closes. */
  pushToTalkSounds: z.boolean(),
  /** A short tone when someone joins or leaves the room. */
  roomSounds: z.boolean(),
  /** How loud Parley's own sounds are (percent; 0 is silent). */
  soundVolume: z.int('a whole percent').min(0, 'from 0 to 100%').max(100, 'from 0 to 100%'),
  memberVolumes: MemberVolumesSchema,
  /** Desktop app: closing the window keeps Parley in the tray (Quit is in the tray's menu). */
  closeToTray: z.boolean(),
  /** Desktop app: start in the tray, without a window. */
  startMinimized: z.boolean(),
  /** Desktop app: start when you log in. */
  startOnLogin: z.boolean(),
  /** The UDP port LAN rooms listen on (0: any free port). Applies at the next start. */
  lanPort: z.int('a port number').min(0, 'a port from 0 to 65535').max(65535, 'a port from 0 to 65535')
}

/** What each setting is called where the player sees it. */
export const SETTING_LABELS: Record<keyof typeof settingsShape, string> = {
  sampleRate: 'Sample rate',
  pushToTalk: 'Push-to-talk key',
  muteKey: 'Mute key',
  deafenKey: 'Deafen key',
  inputMode: 'Talk by',
  voiceThresholdDbfs: 'Voice activation level',
  voiceHoldMs: 'Voice hold',
  releaseDelayMs: 'Release delay',
  displayName: 'Display name',
  inputDeviceId: 'Microphone',
  echoCancellation: 'Echo cancellation',
  noiseSuppression: 'Noise suppression',
  strongNoiseSuppression: 'Strong noise suppression',
  autoGainControl: 'Automatic gain',
  outputDeviceId: 'Speakers',
  voiceBackend: 'Voice backend',
  steamAppId: 'Steam app id',
  pushToTalkSounds: 'Push-to-talk sounds',
  roomSounds: 'Join and leave sounds',
  soundVolume: 'Sound volume',
  memberVolumes: 'Volumes of members',
  closeToTray: 'Close to tray',
  startMinimized: 'Start minimized',
  startOnLogin: 'Start on login',
  lanPort: 'LAN port'
}

/** A refused change in a player's words: "Release delay: at most 2000 ms". */
export function describeSettingsProblem(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path[0]
      const label =
        typeof key === 'string' && key in SETTING_LABELS ? SETTING_LABELS[key as keyof typeof SETTING_LABELS] : null
      return label ? `${label}: ${issue.message}` : issue.message
    })
    .join('; ')
}

export const DEFAULT_SETTINGS: Settings = {
  sampleRate: 'optimal',
  pushToTalk: { device: 'keyboard', code: 'Space' },
  muteKey: null,
  deafenKey: null,
  inputMode: 'push-to-talk',
  voiceThresholdDbfs: -45,
  voiceHoldMs: 400,
  releaseDelayMs: 200,
  displayName: 'Parley user',
  inputDeviceId: 'default',
  // Off: a headset needs none, and without it main records the microphone itself (LAN mode),
  // ~25 ms sooner and lighter than through the browser's processing (docs/voice-path.md).
  echoCancellation: false,
  noiseSuppression: true,
  strongNoiseSuppression: false,
  autoGainControl: false,
  outputDeviceId: 'default',
  voiceBackend: 'auto',
  steamAppId: null,
  pushToTalkSounds: true,
  roomSounds: true,
  soundVolume: 60,
  memberVolumes: {},
  closeToTray: true,
  startMinimized: false,
  startOnLogin: false,
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

/** The file on disk: a version tag around the settings (each checked on its own: recoverSettings). */
export const SETTINGS_FILE_VERSION = 1
export const SettingsFileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  settings: z.record(z.string(), z.unknown())
})

/** One stored setting that could not be used, in a player's words. */
export interface RejectedSetting {
  key: string
  label: string
  problem: string
}

/**
 * The settings a stored object holds, one field at a time: a field that is missing (an older
 * file) or wrong takes its default alone, and the wrong ones are listed; the others are kept.
 * Unknown fields (a newer version's) are left out.
 */
export function recoverSettings(stored: Record<string, unknown>): { settings: Settings; rejected: RejectedSetting[] } {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  const rejected: RejectedSetting[] = []
  for (const key of Object.keys(settingsShape) as Array<keyof typeof settingsShape>) {
    if (!Object.hasOwn(stored, key)) continue
    const parsed = settingsShape[key].safeParse(stored[key])
    if (parsed.success) settings[key] = parsed.data
    else rejected.push({ key, label: SETTING_LABELS[key], problem: parsed.error.issues[0]?.message ?? 'not valid' })
  }
  return { settings: settings as Settings, rejected }
}

/** Why the settings in use are not the ones on disk, for the UI to say. */
export const SettingsLoadProblemSchema = z.object({
  message: z.string(),
  keptAs: z.string().nullable(),
  /** The settings that fell back to their defaults (their labels); empty when the whole file did. */
  fields: z.array(z.string())
})
export type SettingsLoadProblem = z.infer<typeof SettingsLoadProblemSchema>

export const SettingsStateSchema = z.object({
  settings: SettingsSchema,
  file: z.string(),
  loadProblem: SettingsLoadProblemSchema.nullable()
})
export type SettingsState = z.infer<typeof SettingsStateSchema>
