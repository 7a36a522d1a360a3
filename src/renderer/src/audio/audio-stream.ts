import { AUDIO_PORT_MESSAGE, type AudioPortKind } from '@shared/channels'
import type { AudioRoute } from '@shared/contract'
import { frameRingBuffer } from '@shared/frame-ring'
import { MAX_PLAYBACK_FRAME_BYTES } from '@shared/playback-frame'
import AudioSocketWorker from './audio-socket.worker.ts?worker'
import type { AudioLinkStart, PlaybackActivity } from './worklet-messages'

/** A port for a worklet: main's playback frames arrive on it (or in its ring), or capture frames leave on it. */
export interface AudioStream {
  port: MessagePort
  /** Playback frames, written by the link worker and read by the worklet; null where not isolated. */
  ring: SharedArrayBuffer | null
  /** Called when audio arrives for a worklet that said it rests (its context suspended). */
  onWake: (() => void) | null
  close(): void
}

const PORT_TIMEOUT_MS = 5000
/** Half a second of the largest frames main sends: more than any queue the worklet keeps. */
const RING_BYTES = 32 * (MAX_PLAYBACK_FRAME_BYTES + 2)

/**
 * Opens the stream main's route names. Electron: main sends a MessagePort through the preload
 * (as the window message AUDIO_PORT_MESSAGE[kind]). Browser host: a WebSocket. Either way a
 * worker joins main's end to the worklet's, off the page's main thread; playback frames go into a
 * SharedArrayBuffer ring where the page is cross-origin isolated. Electron's capture port, and its
 * playback port where there can be no ring, go to the worklet untouched.
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
  const ring = kind === 'playback' && page.crossOriginIsolated ? frameRingBuffer(RING_BYTES) : null
  let main: string | MessagePort
  if (route.via === 'message-port') {
    const port = await arrived
    if (!ring) return { port, ring: null, onWake: null, close: () => port.close() }
    main = port
  } else {
    arrived.catch(() => {})
    const url = new URL(route.path, page.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    main = url.href
  }
  const channel = new MessageChannel()
  const worker = new AudioSocketWorker({ name: `parley-${kind}-link` })
  const stream: AudioStream = {
    port: channel.port2,
    ring,
    onWake: null,
    close: () => {
      worker.terminate()
      if (typeof main !== 'string') main.close()
    }
  }
  worker.onmessage = (event: MessageEvent<PlaybackActivity>) => {
    if (event.data.type === 'wake') stream.onWake?.()
  }
  const start: AudioLinkStart = { main, port: channel.port1, direction: kind === 'playback' ? 'in' : 'out', ring }
  worker.postMessage(start, typeof main === 'string' ? [channel.port1] : [channel.port1, main])
  return stream
}
