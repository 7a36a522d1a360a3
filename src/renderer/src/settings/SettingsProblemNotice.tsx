import { useStore } from 'zustand'

import type { SettingsStoreApi } from './settings-store'

/** A settings file that could not be read: shown above every view until dismissed. */
export function SettingsProblemNotice({ store }: { store: SettingsStoreApi }) {
  const loadProblem = useStore(store, (s) => s.state?.loadProblem ?? null)
  const dismissed = useStore(store, (s) => s.problemDismissed)
  const dismiss = useStore(store, (s) => s.dismissProblem)
  if (!loadProblem || dismissed) return null
  return (
    <div role="alert" className="notice">
      <p>{loadProblem.message}</p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  )
}
