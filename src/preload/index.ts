import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { AUDIO_PORT_IPC, AUDIO_PORT_MESSAGE, isEventChannel, isInvokeChannel } from '../shared/channels'
import type { ParleyApi } from '../shared/contract'

// The renderer's only door to main: the contract's channels, nothing else of ipcRenderer.
const api: ParleyApi = {
  invoke(channel, ...args) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`no such call: ${String(channel)}`))
    return ipcRenderer.invoke(channel, args[0])
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`no such event: ${String(event)}`)
    const forward = (_event: IpcRendererEvent, payload: unknown): void =>
      (listener as (payload: unknown) => void)(payload)
    ipcRenderer.on(event, forward)
    return () => {
      ipcRenderer.removeListener(event, forward)
    }
  }
}

contextBridge.exposeInMainWorld('parley', api)

// A MessagePort cannot cross contextBridge: hand it to the page as a window message, the way
// Electron documents. The page checks the message came from its own window.
type PageWindow = { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void }
for (const kind of ['playback', 'capture'] as const) {
  ipcRenderer.on(AUDIO_PORT_IPC[kind], (event) => {
    ;(globalThis as unknown as PageWindow).postMessage(AUDIO_PORT_MESSAGE[kind], '*', event.ports)
  })
}
