import { createSocket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import { UdpEndpoint } from '../../../../src/main/engine/lan/udp-endpoint'

describe('UdpEndpoint', () => {
  it('a burst of 1,000 sends arrives intact: no buffer is reused while the kernel may hold it', async () => {
    const receiver = createSocket('udp4')
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', () => resolve()))
    receiver.setRecvBufferSize(4 * 1024 * 1024) // room for the whole burst: loss here would be the kernel's
    const received = new Map<number, Buffer>()
    receiver.on('message', (message) => received.set(message.readUInt32LE(0), message))
    const endpoint = await UdpEndpoint.open('127.0.0.1', 0, silentLogger)
    const port = receiver.address().port
    const pattern = (i: number, at: number) => (i * 31 + at) & 0xff
    try {
      for (let i = 0; i < 1000; i++) {
        const buffer = endpoint.lend()!
        buffer.bytes.writeUInt32LE(i, 0)
        for (let at = 4; at < 1200; at++) buffer.bytes[at] = pattern(i, at)
        endpoint.transmit(buffer, 1200, '127.0.0.1', port)
      }
      for (let waited = 0; received.size < 1000 && waited < 3000; waited += 20)
        await new Promise((r) => setTimeout(r, 20))
      expect(received.size).toBe(1000)
      for (const [i, message] of received) {
        expect(message.length).toBe(1200)
        let intact = true
        for (let at = 4; at < 1200; at++) if (message[at] !== pattern(i, at)) intact = false
        expect(intact, `datagram ${i}`).toBe(true)
      }
      expect(endpoint.sendDropped).toBe(0)
    } finally {
      receiver.close()
      await endpoint.close()
    }
  })

  it('a handler that throws drops that datagram, is counted, and the socket goes on', async () => {
    const endpoint = await UdpEndpoint.open('127.0.0.1', 0, silentLogger)
    const sender = createSocket('udp4')
    let threw = 0
    const seen: number[] = []
    endpoint.onDatagram(
      (message) => {
        if (message[0] === 1) throw new Error('a bug')
        seen.push(message[0]!)
      },
      () => threw++
    )
    try {
      for (const first of [1, 2, 1, 3]) sender.send(Buffer.from([first]), endpoint.address.port, '127.0.0.1')
      for (let waited = 0; seen.length < 2 && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10))
      expect(seen).toEqual([2, 3])
      expect(threw).toBe(2)
    } finally {
      sender.close()
      await endpoint.close()
    }
  })
})
