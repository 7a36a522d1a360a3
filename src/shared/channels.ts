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
