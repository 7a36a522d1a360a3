import { MessageChannelMain, type MessagePortMain, type WebContents } from 'electron'
import type { ParleyEngine } from '../engine/parley-engine'

/** The preload's channel for handing the page its playback port. */
export const PLAYBACK_PORT_CHANNEL = 'playback:port'

/**
 * Decoded voice to the renderer over a MessagePort that the page gives straight to its
 * playback worklet, so PCM never passes through the page's main thread or React. Each
 * playback:open (a new AudioContext) gets a fresh port; the old one is closed.
 */
export function createPlaybackPorts(engine: Pick<ParleyEngine, 'addPlaybackSink'>) {
  let port: MessagePortMain | null = null
  let stop: (() => void) | null = null
  const close = (): void => {
    stop?.()
    port?.close()
    stop = null
    port = null
  }
  return {
    open(contents: WebContents | null): void {
      close()
      if (!contents) return
      const channel = new MessageChannelMain()
      port = channel.port1
      const ours = port
      stop = engine.addPlaybackSink((frame) => ours.postMessage(frame))
      contents.postMessage(PLAYBACK_PORT_CHANNEL, null, [channel.port2])
    },
    close
  }
}

/** The preload's channel for handing the page its capture port. */
export const CAPTURE_PORT_CHANNEL = 'capture:port'

/**
 * Microphone frames from the page's capture worklet straight to main over a MessagePort (the
 * page's main thread never carries them). Each capture:open gets a fresh port.
 */
export function createCapturePorts(engine: Pick<ParleyEngine, 'pushCapture'>) {
  let port: MessagePortMain | null = null
  const close = (): void => {
    port?.close()
    port = null
  }
  return {
    open(contents: WebContents | null): void {
      close()
      if (!contents) return
      const channel = new MessageChannelMain()
      port = channel.port1
      port.on('message', (event) => {
        const data: unknown = event.data
        if (data instanceof ArrayBuffer || data instanceof Uint8Array) engine.pushCapture(data)
      })
      port.start()
      contents.postMessage(CAPTURE_PORT_CHANNEL, null, [channel.port2])
    },
    close
  }
}
