import { AUDIO_PORT_MESSAGE, type AudioPortKind } from '@shared/channels'
import type { AudioRoute } from '@shared/contract'
import AudioSocketWorker from './audio-socket.worker.ts?worker'

/** A port for a worklet: main's playback frames arrive on it, or capture frames leave on it. */
export interface AudioStream {
  port: MessagePort
  close(): void
}

const PORT_TIMEOUT_MS = 5000

/**
 * Opens the stream main's route names. Electron: main sends a MessagePort through the preload
 * (as the window message AUDIO_PORT_MESSAGE[kind]), and it goes to the worklet untouched. Browser
 * host: a worker joins a MessageChannel, whose other end the worklet holds, to a WebSocket.
 */
export async function openAudioStream(
  kind: AudioPortKind,
  open: () => Promise<AudioRoute>,
  page: Window = window
): Promise<AudioStream> {
  const expected = AUDIO_PORT_MESSAGE[kind]
  const arrived = new Promise<MessagePort>((resolve, reject) => {
    const timer = setTimeout(() => {
      page.removeEventListener('message', onMessage)
      reject(new Error(`main did not send a ${kind} port`))
    }, PORT_TIMEOUT_MS)
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== page || event.data !== expected || !event.ports[0]) return
      clearTimeout(timer)
      page.removeEventListener('message', onMessage)
      resolve(event.ports[0])
    }
    page.addEventListener('message', onMessage)
  })
  const route = await open()
  if (route.via === 'message-port') {
    const port = await arrived
    return { port, close: () => port.close() }
  }
  arrived.catch(() => {})
  const url = new URL(route.path, page.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const channel = new MessageChannel()
  const worker = new AudioSocketWorker({ name: `parley-${kind}-socket` })
  worker.postMessage({ url: url.href, port: channel.port1, direction: kind === 'playback' ? 'in' : 'out' }, [
    channel.port1
  ])
  return { port: channel.port2, close: () => worker.terminate() }
}
