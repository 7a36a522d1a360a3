import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/engine/logging/logger'
import type { NativeAddon } from '../../../../src/main/engine/native/native-addon'
import { SteamLobbyTransport } from '../../../../src/main/engine/steam/steam-lobby-transport'
import { JoinCodeError } from '../../../../src/main/engine/transport/room-link'
import { SteamRoomLink } from '../../../../src/main/engine/steam/steam-room-link'
import { FakeSteamNetwork } from '../../../support/fake-steam'

const links: SteamRoomLink[] = []
afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()))
})

function pixels(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37) & 0xff
  return rgba
}

/** The addon's friends functions, as Steam would answer them. */
function fakeNative(avatarAfterCalls = 0): Pick<NativeAddon, 'getFriends' | 'getSmallFriendAvatar'> {
  let calls = 0
  return {
    getFriends: () => [
      { id: 76561198000000002n, name: 'Bea', personaState: 1 },
      { id: 76561198000000003n, name: 'Cy', personaState: 3 },
      { id: 76561198000000004n, name: 'Di', personaState: 0 }
    ],
    // Steam loads avatars lazily: none at first, an image later.
    getSmallFriendAvatar: () => (calls++ < avatarAfterCalls ? null : { width: 2, height: 2, rgba: pixels(2, 2) })
  }
}

describe('SteamRoomLink', () => {
  it('opens a lobby, lists friends with state and avatar, and refuses a code that is not a lobby id', async () => {
    const network = new FakeSteamNetwork()
    const steam = network.client(76561198000000001n, 'Ada')
    const link = await SteamRoomLink.open(
      new SteamLobbyTransport(steam, silentLogger),
      fakeNative(1) as NativeAddon,
      silentLogger
    )
    links.push(link)
    expect(link.mode).toBe('steam')
    expect(link.joinCode()).toMatch(/^\d+$/)
    const first = link.friends()
    expect(first.map((f) => [f.name, f.state])).toEqual([
      ['Bea', 'online'],
      ['Cy', 'away'],
      ['Di', 'offline']
    ])
    expect(first[0]!.avatar).toBeNull() // not loaded yet: asked again next time
    expect(link.friends()[0]!.avatar).toMatch(/^data:image\/png;base64,/)
    await expect(link.join('lobby please')).rejects.toThrow(JoinCodeError)
  })

  it('joins a friend’s lobby by its id', async () => {
    const network = new FakeSteamNetwork()
    const ada = await SteamRoomLink.open(
      new SteamLobbyTransport(network.client(76561198000000001n, 'Ada'), silentLogger),
      fakeNative() as NativeAddon,
      silentLogger
    )
    const bea = await SteamRoomLink.open(
      new SteamLobbyTransport(network.client(76561198000000002n, 'Bea'), silentLogger),
      fakeNative() as NativeAddon,
      silentLogger
    )
    links.push(ada, bea)
    await bea.join(ada.joinCode()!)
    expect(bea.joinCode()).toBe(ada.joinCode())
    await expect.poll(() => [...ada.transport.members.keys()], { timeout: 3000 }).toEqual([76561198000000002n])
  })
})
