import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { startAudio } from './audio/audio-controller'
import { createContractClient } from './bridge/contract-client'
import { resolveParleyApi } from './bridge/parley-api'
import { createRoomStore } from './room/room-store'
import { createSettingsStore } from './settings/settings-store'
import './styles.css'

const client = createContractClient(resolveParleyApi())
const settings = createSettingsStore(client)
const room = createRoomStore(client)
startAudio(client, room, settings)
// Parley gone and back (the browser host restarted): say so, and read everything afresh.
client.onConnection((connected) => {
  const wasLost = !room.getState().hostConnected
  room.getState().setHostConnected(connected)
  if (connected && wasLost) {
    void settings.getState().load()
    void room.getState().load()
  }
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App room={room} settings={settings} />
  </StrictMode>
)
