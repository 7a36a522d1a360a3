import type { EAuthSessionResponse } from '../../src/main/engine/auth/auth-codes'
import type { AuthBackend, ValidateAuthTicketResponse } from '../../src/main/engine/auth/authentication'
import type { SteamLobby, SteamworksApi } from '../../src/main/engine/steam/steamworks-api'

type Handler = (value: never) => void

/**
 * Steam, as far as lobbies and P2P go, in one process: lobbies with members, and P2P where the
 * first packet from a new peer raises P2PSessionRequest and is delivered only once accepted.
 */
export class FakeSteamNetwork {
  private readonly lobbies = new Map<bigint, Set<bigint>>()
  private readonly clients = new Map<bigint, FakeSteamClient>()
  private nextLobby = 109775240000000000n
  /** Clients whose P2P traffic is lost (both ways), as on a dead Wi-Fi. */
  readonly unreachable = new Set<bigint>()
  /** Lobby joins fail (Steam's servers unreachable, or the lobby gone). */
  refuseJoins = false

  client(id: bigint, name: string): FakeSteamClient {
    const client = new FakeSteamClient(id, name, this)
    this.clients.set(id, client)
    return client
  }

  createLobby(owner: bigint): SteamLobby {
    const id = this.nextLobby++
    this.lobbies.set(id, new Set([owner]))
    return this.lobbyHandle(id, owner)
  }

  joinLobby(id: bigint, member: bigint): SteamLobby {
    const members = this.lobbies.get(id)
    if (!members || this.refuseJoins) throw new Error('no such lobby')
    members.add(member)
    this.notify(id, member)
    return this.lobbyHandle(id, member)
  }

  /** A friend clicks "join" on an invite: Steam tells their client. */
  invite(lobby: bigint, friend: bigint): void {
    this.clients.get(friend)!.fire(8, { lobby_steam_id: lobby, friend_steam_id: 0n })
  }

  deliver(from: bigint, to: bigint, data: Buffer): void {
    if (this.unreachable.has(from) || this.unreachable.has(to)) return
    this.clients.get(to)?.incoming(from, Buffer.from(data))
  }

  /** `client` loses Steam's servers: its lobbies drop it (others see it disconnect), and it is told. */
  disconnectFromServers(client: bigint): void {
    for (const [id, members] of this.lobbies) {
      if (!members.delete(client)) continue
      this.notify(id, client, 2)
    }
    this.clients.get(client)!.fire(2, { reason: 3 })
  }

  reconnectToServers(client: bigint): void {
    this.clients.get(client)!.fire(1, {})
  }

  /** The lobby's owner kicks `member` (steamworks.js's ChatMemberStateChange.Kicked). */
  kick(lobby: bigint, member: bigint): void {
    this.lobbies.get(lobby)?.delete(member)
    this.notify(lobby, member, 3)
  }

  private lobbyHandle(id: bigint, self: bigint): SteamLobby {
    return {
      id,
      getMembers: () => [...(this.lobbies.get(id) ?? [])].map((steamId64) => ({ steamId64 })),
      leave: () => {
        this.lobbies.get(id)?.delete(self)
        this.notify(id, self)
      },
      openInviteDialog: () => {}
    }
  }

  /** LobbyChatUpdate to everyone in the lobby and to the one who changed (0 entered, 1 left, 2 disconnected, 3 kicked). */
  private notify(lobby: bigint, changed: bigint, how?: number): void {
    const inLobby = this.lobbies.get(lobby)?.has(changed) ?? false
    const state = how ?? (inLobby ? 0 : 1)
    const update = { lobby, user_changed: changed, making_change: changed, member_state_change: state }
    for (const member of this.lobbies.get(lobby) ?? []) this.clients.get(member)?.fire(5, update)
    if (!inLobby) this.clients.get(changed)?.fire(5, update)
  }
}

export class FakeSteamClient implements SteamworksApi {
  private readonly handlers = new Map<number, Set<Handler>>()
  private readonly inbox: Array<{ from: bigint; data: Buffer }> = []
  private readonly sessions = new Map<bigint, { state: 'pending' | 'accepted'; held: Buffer[] }>()

  constructor(
    readonly id: bigint,
    readonly name: string,
    private readonly network: FakeSteamNetwork
  ) {}

  localplayer = { getSteamId: () => ({ steamId64: this.id }), getName: () => this.name }

  matchmaking = {
    createLobby: async () => this.network.createLobby(this.id),
    joinLobby: async (lobby: bigint) => this.network.joinLobby(lobby, this.id)
  }

  networking = {
    sendP2PPacket: (to: bigint, _sendType: number, data: Buffer) => {
      this.network.deliver(this.id, to, data)
      return true
    },
    isP2PPacketAvailable: () => this.inbox[0]?.data.length ?? 0,
    readP2PPacket: () => {
      const { from, data } = this.inbox.shift()!
      return { data, size: data.length, steamId: { steamId64: from } }
    },
    acceptP2PSession: (from: bigint) => {
      const session = this.sessions.get(from)
      if (!session) return
      session.state = 'accepted'
      for (const data of session.held.splice(0)) this.inbox.push({ from, data })
    }
  }

  callback = {
    register: (callback: number, handler: Handler) => {
      const set = this.handlers.get(callback) ?? new Set()
      this.handlers.set(callback, set)
      set.add(handler)
      return { disconnect: () => set.delete(handler) }
    }
  }

  fire(callback: number, value: unknown): void {
    for (const handler of this.handlers.get(callback) ?? []) handler(value as never)
  }

  incoming(from: bigint, data: Buffer): void {
    const session = this.sessions.get(from)
    if (session?.state === 'accepted') return void this.inbox.push({ from, data })
    if (session) return void session.held.push(data)
    this.sessions.set(from, { state: 'pending', held: [data] })
    this.fire(6, { remote: from })
  }
}

/**
 * Steam's auth sessions as the tests need them: a ticket names its issuer and audience, and
 * begin accepts it only from that issuer, for us (what Steam's BeginAuthSession checks).
 */
export class FakeSteamAuthBackend implements AuthBackend {
  readonly kind = 'steam' as const
  /** With callback verdicts: where Steam's answers go (an Authentication's validateAuthTicketResponse). */
  deliver: ((event: ValidateAuthTicketResponse) => void) | null = null
  /** With callback verdicts: what Steam answers, a moment after a session begins. */
  steamSays: (steamId: bigint) => EAuthSessionResponse = () => 0

  constructor(
    readonly localId: bigint,
    /** Mallory's variant: tickets that claim someone else issued them. */
    private readonly claimIssuer: bigint = localId,
    /** How long tickets are (Steam's API allows up to 1024 bytes). */
    private readonly ticketBytes = 21,
    readonly verdicts: 'at-begin' | 'from-callback' = 'at-begin'
  ) {}

  /** Steam's later word on a session (callback 143), as the dispatch would hand it in. */
  post(steamId: bigint, response: EAuthSessionResponse): void {
    this.deliver?.({ steamId, response, ownerSteamId: steamId })
  }

  /** Like Steam's, every ticket differs: it carries its handle; the rest is padding. */
  issue(remote: bigint | null, id: number): { buffer: Uint8Array; id: number } {
    const bytes = Buffer.alloc(this.ticketBytes, 0x5a)
    bytes[0] = 1
    bytes.writeBigUInt64LE(this.claimIssuer, 1)
    bytes.writeBigUInt64LE(remote ?? 0n, 9)
    bytes.writeUInt32LE(id, 17)
    return { buffer: new Uint8Array(bytes), id }
  }

  begin(ticket: Uint8Array, steamId: bigint): { result: 0 | 1; response: 0 | 8 } {
    const bytes = Buffer.from(ticket)
    const ok =
      bytes.length === this.ticketBytes &&
      bytes[0] === 1 &&
      bytes.readBigUInt64LE(1) === steamId &&
      bytes.readBigUInt64LE(9) === this.localId
    if (ok && this.verdicts === 'from-callback') setTimeout(() => this.post(steamId, this.steamSays(steamId)), 2)
    return ok ? { result: 0 as const, response: 0 as const } : { result: 1 as const, response: 8 as const }
  }

  end(): void {}
  cancel(): void {}
}
