import { MessageChannelMain, type MessagePortMain, type WebContents } from 'electron'
import { AUDIO_PORT_IPC } from '../../../shared/channels'
import type { ParleyEngine } from '../../engine/parley-engine'

/**
 * A MessagePort between main and one of the page's worklets, which the page hands on untouched,
 * so PCM never passes through the page's main thread or React. Each open (a new AudioContext,
 * a new microphone) gets a fresh port; the old one is closed. `attach` wires main's end and
 * returns how to unwire it.
 */
function audioPorts(channelName: string, attach: (port: MessagePortMain) => () => void) {
  let port: MessagePortMain | null = null
  let detach: (() => void) | null = null
  const close = (): void => {
    detach?.()
    port?.close()
    detach = null
    port = null
  }
  return {
    open(contents: WebContents | null): void {
      close()
      if (!contents) return
      const channel = new MessageChannelMain()
      port = channel.port1
      detach = attach(port)
      contents.postMessage(channelName, null, [channel.port2])
    },
    close
  }
}

/** Decoded voice from main to the playback worklet; its reports on how full it is come back. */
export function createPlaybackPorts(engine: Pick<ParleyEngine, 'addPlaybackListener' | 'playoutReport'>) {
  return audioPorts(AUDIO_PORT_IPC.playback, (port) => {
    port.on('message', (event) => {
      const data: unknown = event.data
      if (data instanceof ArrayBuffer || data instanceof Uint8Array) engine.playoutReport(data)
    })
    port.start()
    // postMessage copies the frame, so main's reused buffer can be written again at once.
    return engine.addPlaybackListener((frame) => port.postMessage(frame))
  })
}

/** Microphone frames from the capture worklet to main. */
export function createCapturePorts(engine: Pick<ParleyEngine, 'pushCapture'>) {
  return audioPorts(AUDIO_PORT_IPC.capture, (port) => {
    port.on('message', (event) => {
      const data: unknown = event.data
      if (data instanceof ArrayBuffer || data instanceof Uint8Array) engine.pushCapture(data)
    })
    port.start()
    return () => {}
  })
}
