import {
  describeSettingsProblem,
  SettingsPatchSchema,
  type SettingsPatch,
  type SettingsState
} from '@shared/settings-schema'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ContractClient } from '../bridge/contract-client'

export type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string }

export interface SettingsView {
  /** null until main has answered. */
  state: SettingsState | null
  loadError: string | null
  save: SaveStatus
  problemDismissed: boolean
  load(): Promise<void>
  update(patch: SettingsPatch): Promise<void>
  dismissProblem(): void
}

export type SettingsStoreApi = StoreApi<SettingsView>

/** The renderer's view of main's settings: main is the source of truth, this mirrors it. */
export function createSettingsStore(client: ContractClient): SettingsStoreApi {
  const store = createStore<SettingsView>()((set) => ({
    state: null,
    loadError: null,
    save: { kind: 'idle' },
    problemDismissed: false,
    async load() {
      try {
        set({ state: await client.call('settings:get'), loadError: null })
      } catch (error) {
        set({ loadError: (error as Error).message })
      }
    },
    async update(patch) {
      // Checked here first, so a value out of range is refused in words, naming the setting.
      const checked = SettingsPatchSchema.safeParse(patch)
      if (!checked.success) {
        set({ save: { kind: 'error', message: describeSettingsProblem(checked.error) } })
        return
      }
      set({ save: { kind: 'saving' } })
      try {
        set({ state: await client.call('settings:update', patch), save: { kind: 'saved' } })
      } catch (error) {
        set({ save: { kind: 'error', message: (error as Error).message } })
      }
    },
    dismissProblem: () => set({ problemDismissed: true })
  }))
  // Changes made elsewhere (another window, another tab on the browser host) show up here too.
  client.on('settings:changed', (state) => store.setState({ state }))
  return store
}
