import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SETTINGS,
  FIXED_SAMPLE_RATES,
  describeSettingsProblem,
  recoverSettings,
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

  it('fills keys an older file lacks with defaults, and a wrong value with its default alone, saying which', () => {
    expect(recoverSettings({ sampleRate: 16000 })).toEqual({
      settings: { ...DEFAULT_SETTINGS, sampleRate: 16000 },
      rejected: []
    })
    expect(recoverSettings({ sampleRate: 12345, releaseDelayMs: 300, futureSetting: 1 })).toEqual({
      settings: { ...DEFAULT_SETTINGS, releaseDelayMs: 300 },
      rejected: [{ key: 'sampleRate', label: 'Sample rate', problem: expect.any(String) }]
    })
    expect(SettingsFileSchema.safeParse({ version: 2, settings: {} }).success).toBe(false)
  })

  it('says what is wrong with a change in a player’s words, naming the setting', () => {
    const refused = SettingsPatchSchema.safeParse({ releaseDelayMs: 5000 })
    expect(refused.success).toBe(false)
    if (!refused.success) expect(describeSettingsProblem(refused.error)).toBe('Release delay: at most 2000 ms')
    const tab = SettingsPatchSchema.safeParse({ pushToTalk: { device: 'keyboard', code: 'Tab' } })
    if (!tab.success)
      expect(describeSettingsProblem(tab.error)).toBe(
        'Push-to-talk key: Tab moves between controls; choose another key'
      )
    expect(tab.success).toBe(false)
  })

  it('trims display names', () => {
    expect(SettingsPatchSchema.parse({ displayName: '  Ada  ' })).toEqual({ displayName: 'Ada' })
  })
})
