// Carries binary messages between a worklet's port and one of the browser host's WebSockets, off
// the page's main thread: a background page (a game in front) has its main thread throttled, and a
// busy one stalls; in the two-host test that showed up as 200 to 440 ms gaps in the microphone.

interface Start {
  url: string
  port: MessagePort
  /**
   * in: socket → port (playback frames), and the worklet's reports back to the socket.
   * out: port → socket (capture frames; the buffers go back to the worklet's pool).
   */
  direction: 'in' | 'out'
}

const RECONNECT_MS = 1000

self.onmessage = (event: MessageEvent<Start>) => {
  const { url, port, direction } = event.data
  let socket: WebSocket
  const connect = (): void => {
    socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    if (direction === 'in') {
      socket.onmessage = (message: MessageEvent<ArrayBuffer>) => port.postMessage(message.data, [message.data])
    }
    socket.onclose = () => setTimeout(connect, RECONNECT_MS)
  }
  connect()
  port.onmessage = (message: MessageEvent<ArrayBuffer>) => {
    // send() copies the bytes, so a capture buffer can go straight back to the worklet's pool.
    if (socket.readyState === WebSocket.OPEN) socket.send(message.data)
    if (direction === 'out') port.postMessage(message.data, [message.data])
  }
}
