import type { AppInfo } from '@shared/contract'
import { useEffect, useState } from 'react'
import type { ContractClient } from '../bridge/contract-client'
import { SettingsPanel } from '../settings/SettingsPanel'
import type { SettingsStoreApi } from '../settings/settings-store'

export function App({ client, settings }: { client: ContractClient; settings: SettingsStoreApi }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void settings.getState().load()
    client.call('app:getInfo').then(setInfo, () => {})
  }, [client, settings])

  return (
    <div className="app">
      <header className="app-header">
        <h1>Parley</h1>
      </header>
      <main>
        <SettingsPanel store={settings} />
      </main>
      <footer className="status-bar" aria-label="Status">
        {info ? (
          <>
            <span className={`voice-mode voice-mode-${info.voiceBackend.kind}`} title={info.voiceBackend.reason}>
              {info.voiceBackend.kind === 'steam' ? 'Steam' : 'LAN mode'}
            </span>
            <span> · {info.voiceBackend.reason}</span>
            <span>
              {' '}
              · Parley {info.version} ({info.host === 'electron' ? 'desktop app' : 'browser host'}, native addon{' '}
              {info.nativeAddon.loaded ? info.nativeAddon.detail : 'not loaded'})
            </span>
          </>
        ) : (
          <span>Connecting…</span>
        )}
      </footer>
    </div>
  )
}
