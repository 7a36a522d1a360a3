import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SETTINGS,
  FIXED_SAMPLE_RATES,
  SettingsFileSchema,
  SettingsPatchSchema,
  SettingsSchema
} from '../../src/shared/settings-schema'

describe('settings schema', () => {
  it('accepts the defaults and every offered sample rate', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS)
    for (const sampleRate of [...FIXED_SAMPLE_RATES, 'optimal' as const]) {
      expect(SettingsPatchSchema.safeParse({ sampleRate }).success).toBe(true)
    }
  })

  it.each([
    [{ sampleRate: 44000 }],
    [{ sampleRate: '48000' }],
    [{ releaseDelayMs: 2001 }],
    [{ releaseDelayMs: -1 }],
    [{ releaseDelayMs: 10.5 }],
    [{ displayName: '   ' }],
    [{ displayName: 'x'.repeat(33) }],
    [{ displayName: 'bell\u0007' }],
    [{ pushToTalk: { device: 'keyboard', code: 'Space; rm -rf' } }],
    [{ pushToTalk: { device: 'mouse', button: 99 } }],
    [{ pushToTalk: { device: 'joystick', button: 1 } }],
    [{ unknownSetting: true }],
    [{}]
  ])('refuses the change %j', (patch) => {
    expect(SettingsPatchSchema.safeParse(patch).success).toBe(false)
  })

  it('fills keys an older file lacks with defaults, but refuses a wrong value', () => {
    const partial = SettingsFileSchema.parse({ version: 1, settings: { sampleRate: 16000 } })
    expect(partial.settings).toEqual({ ...DEFAULT_SETTINGS, sampleRate: 16000 })
    expect(SettingsFileSchema.safeParse({ version: 1, settings: { sampleRate: 12345 } }).success).toBe(false)
    expect(SettingsFileSchema.safeParse({ version: 2, settings: {} }).success).toBe(false)
  })

  it('trims display names', () => {
    expect(SettingsPatchSchema.parse({ displayName: '  Ada  ' })).toEqual({ displayName: 'Ada' })
  })
})
