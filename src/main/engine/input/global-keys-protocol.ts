import type { PushToTalkBinding } from '../../../shared/settings-schema'

/** What a global key does: push-to-talk (held), or toggling mute or deafen (pressed). */
export type KeyAction = 'talk' | 'mute' | 'deafen'

/** The keys to watch, by action; an action without a key is not watched. */
export type KeyBindings = { talk: PushToTalkBinding; mute: PushToTalkBinding | null; deafen: PushToTalkBinding | null }

/** From the app to the hook process. */
export type ParentMessage = { type: 'bind'; bindings: KeyBindings }

/** From the hook process: it started, or a bound key or button went down or up. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'down'; action: KeyAction }
  | { type: 'up'; action: KeyAction }
  | { type: 'unbindable'; detail: string }
