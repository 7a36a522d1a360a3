import type { ParleyApi } from '@shared/contract'
import { createWebSocketApi } from './websocket-api'

/** Electron's preload API when present, else the browser host's WebSocket. */
export function resolveParleyApi(): ParleyApi {
  return window.parley ?? createWebSocketApi(window.location.href)
}
