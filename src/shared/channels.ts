// Channel names alone, without schemas, so the sandboxed preload stays tiny.

export const INVOKE_CHANNELS = [
  'app:getInfo',
  'app:getDiagnostics',
  'app:openLogFolder',
  'settings:get',
  'settings:update',
  'voice:setTalking',
  'voice:getStatus',
  'voice:setMuted',
  'voice:setDeafened',
  'voice:setMicTest',
  'room:get',
  'room:join',
  'room:cancelJoin',
  'room:invite',
  'room:getStats',
  'friends:list',
  'playback:open',
  'capture:open'
] as const
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number]

export const EVENT_CHANNELS = [
  'settings:changed',
  'voice:activity',
  'voice:status',
  'room:changed',
  'room:levels'
] as const
export type EventChannel = (typeof EVENT_CHANNELS)[number]

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value)
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value)
}

/**
 * The audio streams between main and the page's worklets (frames, outside the contract). In
 * Electron, main hands the preload a fresh MessagePort on AUDIO_PORT_IPC[kind], and the preload
 * hands it to the page as the window message AUDIO_PORT_MESSAGE[kind] (a MessagePort cannot cross
 * contextBridge).
 */
export type AudioPortKind = 'playback' | 'capture'
export const AUDIO_PORT_IPC = { playback: 'playback:port', capture: 'capture:port' } as const
export const AUDIO_PORT_MESSAGE = { playback: 'parley:playback-port', capture: 'parley:capture-port' } as const
