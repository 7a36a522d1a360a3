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
})
