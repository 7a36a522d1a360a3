import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import type { EngineEventListener } from '../../../../src/main/engine/parley-engine'
import { attachIpcBridge } from '../../../../src/main/hosts/electron/ipc-bridge'
import { rendererLocation } from '../../../../src/main/hosts/electron/window-security'
import { INVOKE_CHANNELS } from '../../../../src/shared/channels'

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => unknown

/** Just enough of Electron's objects to drive the bridge the way ipcMain would. */
function setup() {
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel)
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>
  const mainFrame = { url: 'file:///app/out/renderer/index.html' }
  const sent: unknown[][] = []
  const contents = {
    id: 7,
    mainFrame,
    isDestroyed: () => false,
    send: (...args: unknown[]) => sent.push(args)
  } as unknown as WebContents
  let emit: EngineEventListener = () => {}
  const dispatch = vi.fn(async () => ({ ok: true as const, value: 'dispatched' }))
  const engine = {
    dispatch,
    onEvent: (listener: EngineEventListener) => {
      emit = listener
      return () => {}
    }
  }
  const detach = attachIpcBridge({
    ipcMain,
    engine,
    trustedContents: () => contents,
    trustedUrl: rendererLocation(undefined, '/app/out/renderer/index.html'),
    logger: silentLogger
  })
  const call = (channel: string, event: Partial<IpcMainInvokeEvent>, payload?: unknown) =>
    handlers.get(channel)!(event as IpcMainInvokeEvent, payload)
  return {
    handlers,
    contents,
    mainFrame,
    dispatch,
    call,
    sent,
    emit: (...a: Parameters<EngineEventListener>) => emit(...a),
    detach
  }
}

describe('attachIpcBridge', () => {
  it('handles exactly the contract’s channels, and removes them on detach', () => {
    const { handlers, detach } = setup()
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
    detach()
    expect(handlers.size).toBe(0)
  })

  it('passes calls from our window’s main frame to the dispatcher', async () => {
    const { call, contents, mainFrame, dispatch } = setup()
    const result = await call('settings:update', { sender: contents, senderFrame: mainFrame } as never, {
      sampleRate: 48000
    })
    expect(result).toEqual({ ok: true, value: 'dispatched' })
    expect(dispatch).toHaveBeenCalledWith('settings:update', { sampleRate: 48000 })
  })

  it.each([
    ['another webContents', { sender: { id: 8 }, senderFrame: { url: 'file:///app/out/renderer/index.html' } }],
    ['a subframe of our window', 'subframe'],
    ['our window after navigating elsewhere', 'navigated'],
    ['an event with no frame', { sender: { id: 7 }, senderFrame: null }]
  ])('drops calls from %s without dispatching', async (_what, shape) => {
    const { call, contents, mainFrame, dispatch } = setup()
    let event: unknown = shape
    if (shape === 'subframe') event = { sender: contents, senderFrame: { url: mainFrame.url } }
    if (shape === 'navigated') {
      mainFrame.url = 'https://evil.example/'
      event = { sender: contents, senderFrame: mainFrame }
    }
    const result = await call('settings:update', event as never, { sampleRate: 48000 })
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('not Parley') } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('forwards engine events to our window', () => {
    const { emit, sent } = setup()
    const state = { settings: {}, file: 'f', loadProblem: null } as never
    emit('settings:changed', state)
    expect(sent).toEqual([['settings:changed', state]])
  })
})
