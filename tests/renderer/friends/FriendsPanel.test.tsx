import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FriendsPanel, type FriendsPanelProps } from '../../../src/renderer/src/friends/FriendsPanel'

afterEach(cleanup)

const base: FriendsPanelProps = {
  source: 'lan',
  friends: [],
  joinCode: null,
  joinError: null,
  joining: null,
  onJoin: async () => true,
  onCancelJoin: () => {},
  onRefresh: () => {}
}

describe('FriendsPanel', () => {
  it('while a join is tried, says so with a Cancel button, and Join waits', async () => {
    const onCancelJoin = vi.fn()
    render(<FriendsPanel {...base} joining="192.0.2.5:47700" onCancelJoin={onCancelJoin} />)
    expect(screen.getByRole('status').textContent).toContain('Joining 192.0.2.5:47700…')
    expect((screen.getByRole('button', { name: 'Join' }) as HTMLButtonElement).disabled).toBe(true)
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(onCancelJoin).toHaveBeenCalledOnce()
  })

  it('a join that failed says why, in words a player understands', () => {
    const message =
      'No answer from 192.0.2.5:47700. Is Parley running there, and is UDP 47700 allowed through its firewall?'
    render(<FriendsPanel {...base} joinError={message} />)
    expect(screen.getByRole('alert').textContent).toBe(message)
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('copies the join code with one click and says so; in Steam mode it also opens the invite dialog', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const onInvite = vi.fn(async () => true)
    const { rerender } = render(<FriendsPanel {...base} joinCode="192.168.1.20:47810" onInvite={onInvite} />)
    expect(screen.queryByRole('button', { name: 'Invite friends…' })).toBeNull() // LAN: the code is the invite
    await userEvent.click(screen.getByRole('button', { name: 'Copy the join code 192.168.1.20:47810' }))
    expect(writeText).toHaveBeenCalledWith('192.168.1.20:47810')
    expect(screen.getByRole('status').textContent).toBe('Copied 192.168.1.20:47810: paste it to a friend.')
    rerender(<FriendsPanel {...base} source="steam" joinCode="109775240000000001" onInvite={onInvite} />)
    await userEvent.click(screen.getByRole('button', { name: 'Invite friends…' }))
    expect(onInvite).toHaveBeenCalledOnce()
  })
})
