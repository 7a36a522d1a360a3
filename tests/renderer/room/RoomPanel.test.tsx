import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PushToTalkButton } from '../../../src/renderer/src/ptt/PushToTalkButton'
import { RoomPanel } from '../../../src/renderer/src/room/RoomPanel'
import type { RoomMember } from '../../../src/shared/contract'

afterEach(cleanup)

const up = { state: 'connected', problem: null } as const

const members: RoomMember[] = [
  { id: '11', name: 'Bea', auth: 'verified', authDetail: null, connection: 'connected', rttMs: 3 },
  {
    id: '12',
    name: 'Cy',
    auth: 'rejected',
    authDetail: 'could not prove who they are (invalid ticket)',
    connection: 'connected',
    rttMs: null
  },
  { id: '13', name: 'Di', auth: 'verifying', authDetail: null, connection: 'connected', rttMs: null }
]

describe('RoomPanel', () => {
  it('tells apart two members with the same name (or yours) by the fingerprint of their key, and leaves unique names alone', () => {
    const bob = (id: string, name: string): RoomMember => ({
      id,
      name,
      auth: 'verified',
      authDetail: null,
      connection: 'connected',
      rttMs: 1
    })
    render(
      <RoomPanel
        self={{ id: '10', name: 'Ada' }}
        connection={up}
        // A second "Bob" (case and width aside), and someone who took your name.
        members={[bob('4660', 'Bob'), bob('18446744073709551615', 'ｂob'), bob('12', 'Ada'), bob('13', 'Cy')]}
        speaking={{}}
        levels={{}}
        volumes={{}}
        onVolume={() => {}}
      />
    )
    const list = screen.getByRole('list', { name: 'Room' })
    const names = within(list)
      .getAllByRole('listitem')
      .map((item) => item.querySelector('.member-name')!.textContent)
    expect(names).toEqual(['Ada #0000000a (you)', 'Bob #00001234', 'ｂob #ffffffff', 'Ada #0000000c', 'Cy'])
    expect(screen.getByRole('slider', { name: 'Volume for Bob #00001234' })).toBeTruthy()
  })

  it('lists you and each member under "Room", saying who speaks and whose ticket was accepted', () => {
    render(
      <RoomPanel
        self={{ id: '10', name: 'Ada' }}
        connection={up}
        members={members}
        speaking={{ '10': true, '11': true }}
        levels={{ '11': -12 }}
        volumes={{}}
        onVolume={() => {}}
      />
    )
    const list = screen.getByRole('list', { name: 'Room' })
    const items = within(list).getAllByRole('listitem')
    expect(items.map((item) => item.getAttribute('data-speaking'))).toEqual(['true', 'true', 'false', 'false'])
    expect(items.map((item) => item.getAttribute('data-auth'))).toEqual([null, 'verified', 'rejected', 'verifying'])
    expect(within(list).getByRole('listitem', { name: 'Bea, speaking, verified' })).toBeTruthy()
    expect(within(items[2]!).getByText('Rejected: could not prove who they are (invalid ticket)')).toBeTruthy()
    expect(within(items[1]!).getByRole('meter', { name: 'Bea’s level' }).getAttribute('aria-valuenow')).toBe('80')
  })

  it('shows a member whose connection dropped as reconnecting, in words, until they are back', () => {
    const props = {
      self: { id: '10', name: 'Ada' },
      connection: up,
      speaking: {},
      levels: {},
      volumes: {},
      onVolume: () => {}
    }
    const { rerender } = render(<RoomPanel {...props} members={[{ ...members[0]!, connection: 'reconnecting' }]} />)
    const bea = screen.getByRole('listitem', { name: 'Bea, reconnecting, verified' })
    expect(bea.getAttribute('data-connection')).toBe('reconnecting')
    expect(within(bea).getByText('Connection lost. Reconnecting…')).toBeTruthy()
    rerender(<RoomPanel {...props} members={[members[0]!]} />)
    expect(screen.getByRole('listitem', { name: 'Bea, not speaking, verified' })).toBeTruthy()
    expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull()
    rerender(<RoomPanel {...props} members={[{ ...members[0]!, connection: 'lost' }]} />)
    expect(screen.getByRole('listitem', { name: 'Bea, lost, verified' })).toBeTruthy()
    expect(screen.getByText('Cannot reach them. They may need to rejoin.')).toBeTruthy()
  })

  it('says when the room itself is connecting, being restored or gone, with the problem in words', () => {
    const props = {
      self: { id: '10', name: 'Ada' },
      members,
      speaking: {},
      levels: {},
      volumes: {},
      onVolume: () => {}
    }
    const { rerender } = render(<RoomPanel {...props} connection={up} />)
    expect(screen.queryByText(/Connecting|Reconnecting|Disconnected/)).toBeNull()
    rerender(<RoomPanel {...props} connection={{ state: 'connecting', problem: null }} />)
    expect(screen.getByText('Connecting…')).toBeTruthy()
    const lostLobby = 'Lost the Steam lobby. Getting back in…'
    rerender(<RoomPanel {...props} connection={{ state: 'reconnecting', problem: lostLobby }} />)
    expect(screen.getByText(lostLobby).getAttribute('role')).toBe('status')
    rerender(<RoomPanel {...props} connection={{ state: 'lost', problem: null }} />)
    expect(screen.getByText('Disconnected.')).toBeTruthy()
  })

  it('changes a member’s volume (0 to 200%) and mute from the keyboard', async () => {
    const onVolume = vi.fn()
    render(
      <RoomPanel
        self={{ id: '10', name: 'Ada' }}
        connection={up}
        members={members.slice(0, 1)}
        speaking={{}}
        levels={{}}
        volumes={{ '11': { volume: 150, muted: false } }}
        onVolume={onVolume}
      />
    )
    const slider = screen.getByRole('slider', { name: 'Volume for Bea' })
    expect(slider.getAttribute('max')).toBe('200')
    expect(slider.getAttribute('aria-valuetext')).toBe('150%')
    fireEvent.change(slider, { target: { value: '200' } })
    expect(onVolume).toHaveBeenLastCalledWith('11', { volume: 200, muted: false })
    screen.getByRole('button', { name: 'Mute Bea' }).focus()
    await userEvent.keyboard('{Enter}')
    expect(onVolume).toHaveBeenLastCalledWith('11', { volume: 150, muted: true })
  })
})

describe('PushToTalkButton', () => {
  it('is held from the keyboard: Space down presses, Space up releases, repeats are ignored', async () => {
    const onPress = vi.fn()
    render(<PushToTalkButton transmit="idle" bindingLabel="V" onPress={onPress} />)
    const button = screen.getByRole('button', { name: 'Push to talk' })
    button.focus()
    fireEvent.keyDown(button, { key: ' ', code: 'Space' })
    fireEvent.keyDown(button, { key: ' ', code: 'Space', repeat: true })
    fireEvent.keyUp(button, { key: ' ', code: 'Space' })
    expect(onPress.mock.calls).toEqual([[true], [false]])
    expect(screen.getByText('Hold V or this button')).toBeTruthy()
  })

  it('shows the microphone open while main transmits, including the tail after release', () => {
    const { rerender } = render(<PushToTalkButton transmit="talking" bindingLabel="V" onPress={() => {}} />)
    expect(screen.getByRole('button', { name: 'Push to talk' }).getAttribute('aria-pressed')).toBe('true')
    rerender(<PushToTalkButton transmit="draining" bindingLabel="V" onPress={() => {}} />)
    expect(screen.getByRole('button', { name: 'Push to talk' }).getAttribute('aria-pressed')).toBe('true')
    rerender(<PushToTalkButton transmit="idle" bindingLabel="V" onPress={() => {}} />)
    expect(screen.getByRole('button', { name: 'Push to talk' }).getAttribute('aria-pressed')).toBe('false')
  })

  it('never says On air without a live microphone: held, it says nobody hears you', () => {
    render(<PushToTalkButton transmit="talking" bindingLabel="V" microphoneLive={false} onPress={() => {}} />)
    const button = screen.getByRole('button', { name: 'Push to talk' })
    expect(button.getAttribute('aria-pressed')).toBe('true') // held, as the key says
    expect(button.className).not.toContain('ptt-live')
    expect(screen.queryByText('On air')).toBeNull()
    expect(screen.getByText('No microphone: nobody hears you')).toBeTruthy()
  })
})
