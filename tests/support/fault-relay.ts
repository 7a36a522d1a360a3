import { createSocket, type Socket } from 'node:dgram'

export interface Faults {
  loss: number
  /** Each datagram is delayed by a uniform 0..jitterMs, which also reorders them. */
  jitterMs: number
  duplicate: number
  seed?: number
}

/**
 * A UDP relay between two peers on loopback that loses, delays, duplicates and so reorders
 * datagrams. Peer A dials `front`; the relay talks to B from `back`, so each sees only the relay.
 */
export class FaultRelay {
  stats = { forwarded: 0, lost: 0, duplicated: 0 }
  /** A→B datagrams seen, when capturing: what an eavesdropper on the link could replay. */
  readonly captured: Buffer[] = []
  capturing = false
  /** While true, nothing gets through in either direction (the network is gone). */
  blackhole = false
  private aAddress: { address: string; port: number } | null = null
  private random: () => number

  private constructor(
    private readonly front: Socket,
    private back: Socket,
    private readonly b: { host: string; port: number },
    private readonly faults: Faults
  ) {
    let state = faults.seed ?? 12345
    this.random = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff
      return state / 0x7fffffff
    }
    front.on('message', (message, remote) => {
      this.aAddress = { address: remote.address, port: remote.port }
      if (this.capturing) this.captured.push(Buffer.from(message))
      this.forward(message, this.back, b.port, b.host)
    })
    this.listenBack()
  }

  private listenBack(): void {
    this.back.on('message', (message) => {
      if (this.aAddress) this.forward(message, this.front, this.aAddress.port, this.aAddress.address)
    })
  }

  /** A's traffic now leaves from another port, as when A's machine gets a new address (new Wi-Fi). */
  async moveBack(): Promise<void> {
    const old = this.back
    this.back = await bindLoopback()
    this.listenBack()
    old.close()
  }

  static async start(b: { host: string; port: number }, faults: Faults): Promise<FaultRelay> {
    return new FaultRelay(await bindLoopback(), await bindLoopback(), b, faults)
  }

  get frontPort(): number {
    return this.front.address().port
  }

  /** Where B sees A's datagrams come from. */
  get backPort(): number {
    return this.back.address().port
  }

  private forward(message: Buffer, via: Socket, port: number, host: string): void {
    if (this.blackhole) {
      this.stats.lost++
      return
    }
    if (this.random() < this.faults.loss) {
      this.stats.lost++
      return
    }
    const copies = this.random() < this.faults.duplicate ? 2 : 1
    if (copies === 2) this.stats.duplicated++
    for (let i = 0; i < copies; i++) {
      setTimeout(() => {
        try {
          via.send(message, port, host)
          this.stats.forwarded++
        } catch {
          /* closed */
        }
      }, this.random() * this.faults.jitterMs)
    }
  }

  /** Sends every captured datagram to B again, from the address B knows as A's. */
  replay(): number {
    for (const message of this.captured) this.back.send(message, this.b.port, this.b.host)
    return this.captured.length
  }

  close(): void {
    this.front.close()
    this.back.close()
  }
}

async function bindLoopback(): Promise<Socket> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return socket
}
