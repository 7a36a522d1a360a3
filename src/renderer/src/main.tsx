import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { createContractClient } from './bridge/contract-client'
import { resolveParleyApi } from './bridge/parley-api'
import { createSettingsStore } from './settings/settings-store'
import './styles.css'

const client = createContractClient(resolveParleyApi())
const settings = createSettingsStore(client)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} settings={settings} />
  </StrictMode>
)
