// Carries binary messages between a worklet and main, off the page's main thread: a background
// page (a game in front) has its main thread throttled, and a busy one stalls; in the two-host
// test that showed up as 200 to 440 ms gaps in the microphone. Main is a WebSocket (browser host)
// or a MessagePort from Electron's main. Playback frames go into the worklet's ring when there is
// one (one writer, this thread; one reader, the worklet's process()), else to its port.
import { FrameRingWriter, isFrameRingBuffer } from '@shared/frame-ring'
import type { AudioLinkStart, PlaybackActivity } from './worklet-messages'

const RECONNECT_MS = 1000

/** Main's end, whatever carries it. */
interface MainLink {
  send(data: ArrayBuffer): void
}

self.onmessage = (event: MessageEvent<AudioLinkStart>) => {
  const { main, port, direction } = event.data
  const ring = direction === 'in' && isFrameRingBuffer(event.data.ring) ? new FrameRingWriter(event.data.ring) : null
  const wake: PlaybackActivity = { type: 'wake' }

  const fromMain = (data: unknown): void => {
    if (direction !== 'in' || !(data instanceof ArrayBuffer)) return
    if (!ring) return port.postMessage(data, [data])
    ring.write(new Uint8Array(data))
    // The worklet stopped reading while the room was quiet: the page resumes its context.
    if (ring.takeResting()) self.postMessage(wake)
  }

  let link: MainLink
  if (typeof main === 'string') {
    let socket: WebSocket
    const connect = (): void => {
      socket = new WebSocket(main)
      socket.binaryType = 'arraybuffer'
      socket.onmessage = (message: MessageEvent<ArrayBuffer>) => fromMain(message.data)
      socket.onclose = () => setTimeout(connect, RECONNECT_MS)
    }
    connect()
    link = { send: (data) => socket.readyState === WebSocket.OPEN && socket.send(data) }
  } else {
    main.onmessage = (message: MessageEvent) => fromMain(message.data)
    link = { send: (data) => main.postMessage(data) }
  }
  port.onmessage = (message: MessageEvent<ArrayBuffer>) => {
    if (!(message.data instanceof ArrayBuffer)) return
    // send() copies the bytes, so a capture buffer can go straight back to the worklet's pool.
    link.send(message.data)
    if (direction === 'out') port.postMessage(message.data, [message.data])
  }
}
