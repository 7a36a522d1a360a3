import type { Friend } from '../../../shared/contract'
import type { Logger } from '../logging/logger'
import type { NativeAddon } from '../native/native-addon'
import type { SteamLobbyTransport } from './steam-lobby-transport'
import { avatarDataUrl } from './avatar-png'
import { JoinCodeError, type RoomLink } from '../transport/room-link'

const PERSONA_STATES = [
  'offline',
  'online',
  'busy',
  'away',
  'snooze',
  'looking to trade',
  'looking to play',
  'invisible'
]

/** A Steam lobby as the room: we open one at start; friends join it by invite or by its id. */
export class SteamRoomLink implements RoomLink {
  readonly mode = 'steam'
  private readonly avatars = new Map<bigint, string | null>()

  private constructor(
    readonly transport: SteamLobbyTransport,
    private readonly native: NativeAddon,
    private readonly logger: Logger
  ) {}

  static async open(transport: SteamLobbyTransport, native: NativeAddon, logger: Logger): Promise<SteamRoomLink> {
    const link = new SteamRoomLink(transport, native, logger)
    await transport.create().catch((error: Error) => logger.warn(`could not open a Steam lobby: ${error.message}`))
    return link
  }

  joinCode(): string | null {
    return this.transport.lobbyId?.toString() ?? null
  }

  /** Steam's lobby join is one call; there is nothing in flight to stop. */
  cancelJoin(): void {}

  invite(): boolean {
    if (this.transport.lobbyId === null) return false
    this.transport.invite()
    return true
  }

  async join(code: string): Promise<void> {
    if (!/^\d{1,20}$/.test(code.trim())) throw new JoinCodeError(`"${code}" is not a Steam lobby id`)
    await this.transport.join(BigInt(code.trim()))
  }

  friends(): Friend[] {
    return this.native.getFriends().map((friend) => ({
      id: friend.id.toString(),
      name: friend.name,
      state: PERSONA_STATES[friend.personaState] ?? 'unknown',
      avatar: this.avatar(friend.id),
      joinCode: null
    }))
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  private avatar(id: bigint): string | null {
    if (!this.avatars.has(id)) {
      try {
        const avatar = this.native.getSmallFriendAvatar(id)
        // Steam loads avatars lazily: null now may be an image later, so only images are kept.
        if (!avatar) return null
        this.avatars.set(id, avatarDataUrl(avatar))
      } catch (error) {
        this.logger.warn(`avatar for ${id}: ${(error as Error).message}`)
        this.avatars.set(id, null)
      }
    }
    return this.avatars.get(id) ?? null
  }
}
