import { describe, expect, it } from 'vitest'
import { Authentication } from '../../../../src/main/engine/auth/authentication'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import type { ControlMessageInput } from '../../../../src/main/engine/transport/control-messages'
import {
  MemberAuthenticator,
  newMemberAuthState,
  type AuthenticatedMember
} from '../../../../src/main/engine/transport/member-auth'
import { FakeSteamAuthBackend } from '../../../support/fake-steam'

const A = 76561198000000001n
const B = 76561198000000002n

function pair() {
  const sent: ControlMessageInput[] = []
  const alice = new MemberAuthenticator(
    new Authentication(new FakeSteamAuthBackend(A, A, 1024)),
    silentLogger,
    (_member, message) => sent.push(message),
    () => {},
    () => undefined
  )
  const bob = new Authentication(new FakeSteamAuthBackend(B, B, 1024))
  const member = (id: bigint): AuthenticatedMember => ({
    id,
    name: 'x',
    rttMs: null,
    clockOffsetMs: 0,
    connection: 'connected',
    ...newMemberAuthState(true)
  })
  // Bob's 1024-byte ticket for Alice, in base64 (1368 characters).
  const ticket = Buffer.from(bob.getAuthSessionTicket(A).buffer).toString('base64')
  return { alice, sent, member, ticket }
}

describe('MemberAuthenticator: tickets in parts', () => {
  it('sends a 1024-byte ticket as three parts, each small enough for one message', () => {
    const { alice, sent, member } = pair()
    alice.sendTicket(member(B))
    expect(sent.map((m) => (m.kind === 'auth' ? [m.ticket.length, m.part] : m.kind))).toEqual([
      [456, { index: 0, count: 3 }],
      [456, { index: 1, count: 3 }],
      [456, { index: 2, count: 3 }]
    ])
  })

  it('verifies once every part is there, in any order', () => {
    const { alice, member, ticket } = pair()
    const bob = member(B)
    const parts = [0, 1, 2].map((i) => ticket.slice(i * 456, (i + 1) * 456))
    expect(alice.acceptTicketPart(bob, parts[2]!, { index: 2, count: 3 })).toBe(false)
    expect(alice.acceptTicketPart(bob, parts[0]!, { index: 0, count: 3 })).toBe(false)
    expect(bob.auth).toBe('verifying')
    expect(alice.acceptTicketPart(bob, parts[1]!, { index: 1, count: 3 })).toBe(true)
    expect(bob.auth).toBe('verified')
    expect(bob.ticketParts).toBeNull()
  })

  it('hostile parts: a changed count starts afresh; a whole longer than any ticket is never begun', () => {
    const { alice, member, ticket } = pair()
    const bob = member(B)
    expect(alice.acceptTicketPart(bob, ticket.slice(0, 684), { index: 0, count: 2 })).toBe(false)
    expect(alice.acceptTicketPart(bob, ticket.slice(456, 912), { index: 1, count: 3 })).toBe(false)
    expect(bob.ticketParts).toHaveLength(3) // the two-part start was dropped
    for (let i = 0; i < 3; i++) alice.acceptTicketPart(bob, 'A'.repeat(600), { index: i, count: 3 })
    expect(bob.auth).toBe('verifying')
    expect(bob.ticketParts).toBeNull()
  })
})
