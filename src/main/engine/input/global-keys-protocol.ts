import type { PushToTalkBinding } from '../../../shared/settings-schema'

/** From the app to the hook process. */
export type ParentMessage = { type: 'bind'; binding: PushToTalkBinding }

/** From the hook process: it started, or the bound key or button went down or up. */
export type ChildMessage =
  { type: 'ready' } | { type: 'down' } | { type: 'up' } | { type: 'unbindable'; detail: string }
