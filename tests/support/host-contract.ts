import { WebSocket } from 'ws'

/** One call over a browser host's contract socket, as its page makes it; the value it answers. */
export async function callHost<T = unknown>(url: string, channel: string, payload?: unknown): Promise<T> {
  const origin = new URL(url).origin
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/contract`, { origin })
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }))
    const reply = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${channel}: no answer in 5 s`)), 5000)
      socket.on('message', (data) => {
        const text = String(data)
        if ((JSON.parse(text) as { type: string }).type !== 'result') return // events
        clearTimeout(timer)
        resolve(text)
      })
    })
    const parsed = JSON.parse(reply) as { result: { ok: boolean; value?: T; error?: { message: string } } }
    if (!parsed.result.ok) throw new Error(`${channel}: ${parsed.result.error?.message}`)
    return parsed.result.value as T
  } finally {
    socket.close()
  }
}
