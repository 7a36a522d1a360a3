import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventPayload, InvokeResult, ParleyApi } from '../../../src/shared/contract'
import { DEFAULT_SETTINGS, SettingsPatchSchema, type SettingsState } from '../../../src/shared/settings-schema'
import { createContractClient } from '../../../src/renderer/src/bridge/contract-client'
import { SettingsPanel } from '../../../src/renderer/src/settings/SettingsPanel'
import { SettingsProblemNotice } from '../../../src/renderer/src/settings/SettingsProblemNotice'
import { createSettingsStore } from '../../../src/renderer/src/settings/settings-store'

afterEach(cleanup)

/** An in-memory main: validates patches with the real schema, as main does. */
function fakeMain(initial: Partial<SettingsState> = {}) {
  let state: SettingsState = { settings: DEFAULT_SETTINGS, file: '/data/settings.json', loadProblem: null, ...initial }
  const listeners = new Set<(payload: EventPayload<'settings:changed'>) => void>()
  const invoke = vi.fn(async (channel: string, payload?: unknown): Promise<InvokeResult<unknown>> => {
    if (channel === 'settings:get') return { ok: true, value: state }
    if (channel === 'settings:update') {
      const parsed = SettingsPatchSchema.safeParse(payload)
      if (!parsed.success) return { ok: false, error: { code: 'invalid-payload', message: 'bad change' } }
      state = { ...state, settings: { ...state.settings, ...parsed.data } }
      return { ok: true, value: state }
    }
    return { ok: false, error: { code: 'unknown-channel', message: channel } }
  })
  const api = {
    invoke,
    on: (_event: string, listener: (payload: EventPayload<'settings:changed'>) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  } as unknown as ParleyApi
  const pushChange = (next: SettingsState) => listeners.forEach((listener) => listener(next))
  return {
    api,
    invoke,
    pushChange,
    get state() {
      return state
    }
  }
}

async function renderPanel(main = fakeMain(), steamVoice = false) {
  const store = createSettingsStore(createContractClient(main.api))
  render(
    <>
      <SettingsProblemNotice store={store} />
      <SettingsPanel store={store} steamVoice={steamVoice} />
    </>
  )
  await store.getState().load()
  return { main, store }
}

describe('SettingsPanel', () => {
  it('offers optimal and every fixed rate under the name "Sample rate", and saves a choice', async () => {
    const { main } = await renderPanel()
    const select = await screen.findByRole('combobox', { name: 'Sample rate' })
    expect((select as HTMLSelectElement).value).toBe('optimal')
    expect([...(select as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      'optimal',
      '11025',
      '16000',
      '22050',
      '24000',
      '32000',
      '44100',
      '48000'
    ])
    await userEvent.selectOptions(select, '32000')
    expect(main.invoke).toHaveBeenCalledWith('settings:update', { sampleRate: 32000 })
    expect(await screen.findByRole('status', { name: 'Saving' })).toHaveProperty('textContent', 'Saved')
    expect((select as HTMLSelectElement).value).toBe('32000')
  })

  it('says why the settings file was set aside, until dismissed', async () => {
    const problem = {
      message: 'Your settings file could not be read (not valid JSON).',
      keptAs: '/d/settings.json.corrupt-x',
      fields: []
    }
    await renderPanel(fakeMain({ loadProblem: problem }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('could not be read')
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('saves the display name on Enter, not per keystroke, and refuses a value out of range in words', async () => {
    const { main } = await renderPanel()
    const name = await screen.findByRole('textbox', { name: 'Display name' })
    await userEvent.clear(name)
    await userEvent.type(name, 'Ada Lovelace')
    expect(main.invoke).not.toHaveBeenCalledWith('settings:update', expect.anything())
    await userEvent.type(name, '{Enter}')
    expect(main.invoke).toHaveBeenCalledWith('settings:update', { displayName: 'Ada Lovelace' })

    const delay = screen.getByRole('spinbutton', { name: 'Release delay (ms)' })
    await userEvent.clear(delay)
    await userEvent.type(delay, '5000{Enter}')
    expect(await screen.findByRole('status', { name: 'Saving' })).toHaveProperty(
      'textContent',
      'Not saved: Release delay: at most 2000 ms'
    )
    expect(main.invoke).not.toHaveBeenCalledWith('settings:update', { releaseDelayMs: 5000 }) // refused before main
    expect(main.state.settings.releaseDelayMs).toBe(DEFAULT_SETTINGS.releaseDelayMs)
    expect((delay as HTMLInputElement).value).toBe(String(DEFAULT_SETTINGS.releaseDelayMs))
  })

  it('binds push-to-talk to the next key pressed, from the keyboard alone', async () => {
    const { main } = await renderPanel()
    const button = await screen.findByRole('button', { name: /Push-to-talk/ })
    expect(button.textContent).toBe('Space')
    button.focus()
    await userEvent.keyboard('{Enter}')
    expect(button.getAttribute('aria-pressed')).toBe('true')
    await userEvent.keyboard('v')
    expect(main.invoke).toHaveBeenCalledWith('settings:update', { pushToTalk: { device: 'keyboard', code: 'KeyV' } })
    await waitFor(() => expect(button.textContent).toBe('V'))
  })

  it('shows changes main reports from elsewhere', async () => {
    const main = fakeMain()
    await renderPanel(main)
    const select = (await screen.findByRole('combobox', { name: 'Sample rate' })) as HTMLSelectElement
    main.pushChange({ ...main.state, settings: { ...main.state.settings, sampleRate: 11025 } })
    await waitFor(() => expect(select.value).toBe('11025'))
  })

  it('in Steam mode offers no voice activation or browser processing, and says where Steam’s are', async () => {
    const main = fakeMain({ settings: { ...DEFAULT_SETTINGS, inputMode: 'voice-activation' } })
    await renderPanel(main, true)
    const talkBy = (await screen.findByRole('combobox', { name: 'Talk by' })) as HTMLSelectElement
    expect((screen.getByRole('option', { name: /Voice activation/ }) as HTMLOptionElement).disabled).toBe(true)
    expect(screen.getByText(/In Steam mode you talk with push-to-talk/)).toBeTruthy()
    expect(screen.queryByRole('checkbox', { name: /Echo cancellation/ })).toBeNull()
    expect(screen.getByText(/Steam’s Settings → Voice/)).toBeTruthy()
    await userEvent.selectOptions(talkBy, 'push-to-talk')
    await waitFor(() => expect(main.state.settings.inputMode).toBe('push-to-talk'))
  })

  it('in LAN mode offers both ways to talk and the processing switches', async () => {
    await renderPanel()
    await screen.findByRole('combobox', { name: 'Talk by' })
    expect((screen.getByRole('option', { name: /Voice activation/ }) as HTMLOptionElement).disabled).toBe(false)
    expect(screen.getByRole('checkbox', { name: /Strong noise suppression/ })).toBeTruthy()
  })
})
