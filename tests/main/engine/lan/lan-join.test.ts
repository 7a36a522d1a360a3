import { openLanTransport } from '../../../support/lan-members'

import { createSocket } from 'node:dgram'

import { afterEach, describe, expect, it } from 'vitest'

import { LanTransport } from '../../../../src/main/engine/lan/lan-transport'

import { JoinFailedError } from '../../../../src/main/engine/transport/room-link'

import { ManualScheduler } from '../../../support/manual-scheduler'

const open: LanTransport[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((transport) => transport.close()))
})

async function transport(scheduler?: ManualScheduler) {
  const t = await openLanTransport('A', { scheduler })
  open.push(t)
  return t
}

/** A UDP port where nothing answers: bound by a socket that reads and ignores everything. */
async function deadAddress() {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  let datagrams = 0
  socket.on('message', () => datagrams++)
  return { port: socket.address().port, received: () => datagrams, close: () => socket.close() }
}

describe('joining a LAN room', () => {
  it('resolves once the member at that address and we have verified each other; the room is connecting till then', async () => {
    const b = await transport()
    const a = await transport()
    const seen: string[] = []
    a.setHandlers({ roomChanged: () => seen.push(a.connection.state) })
    expect(a.connection.state).toBe('connected')
    const joined = a.join('127.0.0.1', b.address.port)
    expect(a.connection).toEqual({ state: 'connecting', problem: null })
    await joined
    expect([...a.members.values()].map((m) => m.auth)).toEqual(['verified'])
    expect(seen).toEqual(['connecting', 'connected'])
  })

  it('an address where nobody answers is tried for 10 s, then fails in words a player understands', async () => {
    const scheduler = new ManualScheduler()
    const a = await transport(scheduler)
    const dead = await deadAddress()
    try {
      const outcome = a.join('127.0.0.1', dead.port).then(
        () => 'joined',
        (error: Error) => error
      )
      for (let ms = 100; ms <= 10_600; ms += 100) scheduler.advanceTo(ms)
      const error = await outcome
      expect(error).toBeInstanceOf(JoinFailedError)
      expect((error as Error).message).toBe(
        `No answer from 127.0.0.1:${dead.port}. Is Parley running there, and is UDP ${dead.port} allowed through its firewall?`
      )
      await new Promise((r) => setTimeout(r, 50))
      expect(dead.received()).toBeGreaterThanOrEqual(5) // it was tried again and again: 0, 0.5, 1.5, 3.5, 5.5, 7.5, 9.5 s
    } finally {
      dead.close()
    }
  })

  it('can be cancelled: the join fails at once with "Stopped joining", and nothing more is sent', async () => {
    const scheduler = new ManualScheduler()
    const a = await transport(scheduler)
    const dead = await deadAddress()
    try {
      const outcome = a.join('127.0.0.1', dead.port).catch((error: Error) => error.message)
      a.cancelJoins()
      expect(await outcome).toBe(`Stopped joining 127.0.0.1:${dead.port}.`)
      await new Promise((r) => setTimeout(r, 50))
      const before = dead.received()
      for (let ms = 100; ms <= 5000; ms += 100) scheduler.advanceTo(ms)
      await new Promise((r) => setTimeout(r, 50))
      expect(dead.received()).toBe(before)
    } finally {
      dead.close()
    }
  })
})
