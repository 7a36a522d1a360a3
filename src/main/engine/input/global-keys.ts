import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { GlobalKeysStatus } from '../../../shared/contract'
import type { Logger } from '../logging/logger'
import type { ChildMessage, KeyAction, KeyBindings, ParentMessage } from './global-keys-protocol'

const WINDOW_ONLY = 'push-to-talk works while the Parley window has focus'

export interface GlobalKeysOptions {
  /** The built hook process (out/main/global-keys.js). */
  script: string
  bindings: KeyBindings
  logger: Logger
  onDown(action: KeyAction): void
  onUp(action: KeyAction): void
  onStatus(status: GlobalKeysStatus): void
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

/**
 * Why a global hook cannot work here, before trying: Wayland gives no app the keyboard of
 * another, and without a display there is nothing to hook. Null when it is worth a try.
 */
export function globalHookUnavailable(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  if (platform !== 'linux') return null
  if (env.DISPLAY) return null
  if (env.WAYLAND_DISPLAY) return `Wayland does not let apps see keys pressed elsewhere; ${WINDOW_ONLY}`
  return `there is no X display to hook keys on; ${WINDOW_ONLY}`
}

/**
 * Push-to-talk while another app has focus, through uiohook-napi in a child process (its
 * native code aborts the process when it cannot start). Reports, through `onStatus`, whether
 * it is working and why not.
 */
export class GlobalKeys {
  private child: ChildProcess | null = null
  private closed = false
  private lastError = ''

  private constructor(private readonly options: GlobalKeysOptions) {}

  static start(options: GlobalKeysOptions): GlobalKeys {
    const keys = new GlobalKeys(options)
    keys.launch()
    return keys
  }

  /** A status for when the hook is turned off, for the same UI line. */
  static disabled(why: string): GlobalKeysStatus {
    return { active: false, detail: `${why}; ${WINDOW_ONLY}` }
  }

  rebind(bindings: KeyBindings): void {
    this.options.bindings = bindings
    this.send({ type: 'bind', bindings })
  }

  close(): void {
    this.closed = true
    this.child?.kill()
    this.child = null
  }

  private launch(): void {
    const env = this.options.env ?? process.env
    const unavailable = globalHookUnavailable(env, this.options.platform ?? process.platform)
    if (unavailable) return this.report({ active: false, detail: unavailable })
    if (!existsSync(this.options.script)) {
      return this.report({
        active: false,
        detail: `the key hook is not built (${this.options.script}); ${WINDOW_ONLY}`
      })
    }
    // In Electron, execPath is Electron itself: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = fork(this.options.script, [], {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json'
    })
    this.child = child
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (text: string) => {
      const line = text.trim().split('\n').pop()
      if (line) this.lastError = line.slice(0, 200)
    })
    child.on('message', (message: ChildMessage) => this.onMessage(message))
    child.on('error', (error) => (this.lastError = error.message))
    child.on('exit', (code, signal) => {
      this.child = null
      if (this.closed) return
      // Whatever was held is released: a key stuck down would keep the microphone open.
      this.options.onUp('talk')
      const why = this.lastError || `it exited (${signal ?? code})`
      this.options.logger.warn(`the global key hook stopped: ${why}`)
      this.report({ active: false, detail: `the global key hook stopped (${why}); ${WINDOW_ONLY}` })
    })
    this.send({ type: 'bind', bindings: this.options.bindings })
  }

  private onMessage(message: ChildMessage): void {
    switch (message.type) {
      case 'ready':
        return this.report({ active: true, detail: 'push-to-talk works while other apps have focus' })
      case 'down':
        return this.options.onDown(message.action)
      case 'up':
        return this.options.onUp(message.action)
      case 'unbindable':
        return this.report({ active: false, detail: `${message.detail}; ${WINDOW_ONLY}` })
    }
  }

  private send(message: ParentMessage): void {
    if (this.child?.connected) this.child.send(message)
  }

  private report(status: GlobalKeysStatus): void {
    this.options.onStatus(status)
  }
}
