import type { PlaybackRoute } from '@shared/contract'
import PlaybackSocketWorker from './playback-socket.worker.ts?worker'

/** A port carrying main's playback frames, and how to stop it. */
export interface PlaybackStream {
  port: MessagePort
  close(): void
}

const PORT_MESSAGE = 'parley:playback-port'
const PORT_TIMEOUT_MS = 5000

/**
 * Opens the stream main's route names. Electron: main sends a MessagePort through the preload,
 * and it goes to the worklet untouched. Browser host: a worker reads the frames off a WebSocket
 * and posts them into a MessageChannel whose other end the worklet holds.
 */
export async function openPlaybackStream(
  open: () => Promise<PlaybackRoute>,
  page: Window = window
): Promise<PlaybackStream> {
  const arrived = new Promise<MessagePort>((resolve, reject) => {
    const timer = setTimeout(() => {
      page.removeEventListener('message', onMessage)
      reject(new Error('main did not send a playback port'))
    }, PORT_TIMEOUT_MS)
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== page || event.data !== PORT_MESSAGE || !event.ports[0]) return
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
  const worker = new PlaybackSocketWorker({ name: 'parley-playback-socket' })
  worker.postMessage({ url: url.href, port: channel.port1 }, [channel.port1])
  return {
    port: channel.port2,
    close() {
      worker.terminate()
    }
  }
}
