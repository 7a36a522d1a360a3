// Carries the browser host's playback frames from its WebSocket to the playback worklet's port.
// A worker, not the page: a page in the background has its main thread throttled, and a game
// in front is exactly when Parley's tab is in the background.

interface Start {
  url: string
  port: MessagePort
}

const RECONNECT_MS = 1000

self.onmessage = (event: MessageEvent<Start>) => {
  const { url, port } = event.data
  const connect = (): void => {
    const socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    socket.onmessage = (message: MessageEvent<ArrayBuffer>) => port.postMessage(message.data, [message.data])
    socket.onclose = () => setTimeout(connect, RECONNECT_MS)
  }
  connect()
}
