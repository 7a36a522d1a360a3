/**
 * The part of steamworks.js (0.4) this transport uses, so tests can stand in for Steam.
 * Values mirror steamworks.js's const enums.
 */
export interface SteamworksApi {
  localplayer: { getSteamId(): { steamId64: bigint }; getName(): string }
  matchmaking: {
    createLobby(lobbyType: number, maxMembers: number): Promise<SteamLobby>
    joinLobby(lobbyId: bigint): Promise<SteamLobby>
  }
  networking: {
    sendP2PPacket(steamId64: bigint, sendType: number, data: Buffer): boolean
    isP2PPacketAvailable(): number
    readP2PPacket(size: number): { data: Buffer; size: number; steamId: { steamId64: bigint } }
    acceptP2PSession(steamId64: bigint): void
  }
  callback: { register(callback: number, handler: (value: never) => void): { disconnect(): void } }
}

export interface LobbyChatUpdate {
  lobby: bigint
  user_changed: bigint
  member_state_change: number
}

export interface SteamLobby {
  id: bigint
  getMembers(): Array<{ steamId64: bigint }>
  leave(): void
  openInviteDialog(): void
}

export const LOBBY_FRIENDS_ONLY = 1
export const SEND_UNRELIABLE_NO_DELAY = 1
export const SEND_RELIABLE = 2
export const CALLBACK_STEAM_SERVERS_CONNECTED = 1
export const CALLBACK_STEAM_SERVERS_DISCONNECTED = 2
export const CALLBACK_LOBBY_CHAT_UPDATE = 5
export const CALLBACK_P2P_SESSION_REQUEST = 6
export const CALLBACK_P2P_SESSION_CONNECT_FAIL = 7
export const CALLBACK_GAME_LOBBY_JOIN_REQUESTED = 8
/** steamworks.js's ChatMemberStateChange: Entered 0, Left 1, Disconnected 2, Kicked 3, Banned 4. */
export const MEMBER_STATE_NAMES = ['entered', 'left', 'disconnected', 'kicked', 'banned']
/** EP2PSessionError, as Steam's P2PSessionConnectFail_t reports it. */
export const P2P_SESSION_ERRORS = ['None', 'NotRunningApp', 'NoRightsToApp', 'DestinationNotLoggedIn', 'Timeout']
