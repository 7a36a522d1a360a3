import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Authentication } from '../../../../src/main/engine/auth/authentication'
import { openHostLog } from '../../../../src/main/engine/logging/log-file'
import { SteamLobbyTransport } from '../../../../src/main/engine/steam/steam-lobby-transport'
import { FakeSteamAuthBackend, FakeSteamNetwork } from '../../../support/fake-steam'
import { makeTempDir } from '../../../support/temp-dir'

const A = 76561198000000001n
const B = 76561198000000002n
const MALLORY = 76561198000000666n

const transports: SteamLobbyTransport[] = []
let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()))
  await cleanup?.()
})

describe('the logs of a room whose members prove themselves with tickets', () => {
  it('hold what happened (joins, a refusal) and never a ticket, in any encoding', async () => {
    const temp = await makeTempDir()
    cleanup = temp.cleanup
    const steam = new FakeSteamNetwork()
    const issued: Uint8Array[] = []
    const member = (id: bigint, claims = id) => {
      const backend = new FakeSteamAuthBackend(id, claims, 1024)
      const issue = backend.issue.bind(backend)
      backend.issue = (remote, handle) => {
        const ticket = issue(remote, handle)
        issued.push(ticket.buffer)
        return ticket
      }
      const { logger } = openHostLog({ host: `member-${id % 1000n}`, folder: temp.dir, console: false })
      const transport = new SteamLobbyTransport(
        steam.client(id, `m${id % 1000n}`),
        logger,
        undefined,
        new Authentication(backend)
      )
      transports.push(transport)
      return transport
    }
    const ada = member(A)
    const bea = member(B)
    const mallory = member(MALLORY, A) // tickets that claim Ada issued them
    const lobby = await ada.create()
    steam.invite(lobby, B)
    steam.invite(lobby, MALLORY)
    await vi.waitFor(
      () => {
        expect(ada.members.get(B)?.auth).toBe('verified')
        expect(ada.members.get(MALLORY)?.auth).toMatchObject({ rejected: expect.any(String) })
      },
      { timeout: 3000, interval: 5 }
    )
    expect(bea.members.size + mallory.members.size).toBeGreaterThan(0)
    expect(issued.length).toBeGreaterThan(2)

    const logs = await Promise.all((await readdir(temp.dir)).map((name) => readFile(path.join(temp.dir, name), 'utf8')))
    const all = logs.join('\n')
    expect(all).toMatch(/\[(info|warn)\]/) // the room did log what happened
    for (const ticket of issued) {
      const bytes = Buffer.from(ticket)
      // Any 24 bytes of it (the tickets share padding: each one's own head is what identifies it).
      const head = bytes.subarray(0, 24)
      for (const encoded of [
        bytes.toString('hex'),
        bytes.toString('base64'),
        head.toString('hex'),
        head.toString('base64'),
        head.toString('base64url')
      ]) {
        expect(all).not.toContain(encoded)
      }
    }
  })
})
