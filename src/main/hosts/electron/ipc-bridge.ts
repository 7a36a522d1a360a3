import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { INVOKE_CHANNELS } from '../../../shared/channels'
import type { InvokeResult } from '../../../shared/contract'
import type { Dispatch } from '../../engine/contract/dispatcher'
import type { ParleyEngine } from '../../engine/parley-engine'
import type { Logger } from '../../engine/logging/logger'
import { isTrustedRendererUrl } from './window-security'

export interface IpcBridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  engine: Pick<ParleyEngine, 'dispatch' | 'onEvent'>
  /** The window whose renderer may call us; messages from any other webContents are dropped. */
  trustedContents: () => WebContents | null
  trustedUrl: URL
  logger: Logger
}

const REFUSED: InvokeResult<never> = {
  ok: false,
  error: { code: 'failed', message: 'refused: this sender is not Parley’s window' }
}

/** Connects the contract to Electron IPC: every channel checks its sender, then dispatches. */
export function attachIpcBridge(options: IpcBridgeOptions): () => void {
  const { ipcMain, engine, logger } = options
  const dispatch: Dispatch = engine.dispatch

  const isTrusted = (event: IpcMainInvokeEvent): boolean => {
    const contents = options.trustedContents()
    return (
      contents !== null &&
      event.sender.id === contents.id &&
      event.senderFrame !== null &&
      event.senderFrame === contents.mainFrame &&
      isTrustedRendererUrl(event.senderFrame.url, options.trustedUrl)
    )
  }

  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrusted(event)) {
        logger.warn(`dropped ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`)
        return REFUSED
      }
      return dispatch(channel, payload)
    })
  }

  const stopEvents = engine.onEvent((event, payload) => {
    const contents = options.trustedContents()
    if (contents && !contents.isDestroyed()) contents.send(event, payload)
  })

  return () => {
    stopEvents()
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}
