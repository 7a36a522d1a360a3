import type { ValidateAuthTicketResponse } from '../auth/authentication'
import type { EAuthSessionResponse } from '../auth/auth-codes'
import type { Logger } from '../logging/logger'
import { LoopFaults } from '../logging/loop-faults'
import type { NativeAddon, SteamCallbackEvent } from '../native/native-addon'
import { realScheduler, type Scheduler } from '../time/scheduler'
import type { SteamLobby, SteamworksApi } from './steamworks-api'

/** As often as steamworks.js ran it. */
const DISPATCH_INTERVAL_MS = 1000 / 30
/** A lobby Steam has not created or let us into by then has failed. */
const CALL_TIMEOUT_MS = 15_000

/** steamworks.js's callback numbers (what SteamLobbyTransport registers) for Steam's ids. */
const STEAMWORKS_JS_ID: Partial<Record<SteamCallbackEvent['callback'], number>> = {
  101: 1,
  103: 2,
  506: 5,
  1202: 6,
  1203: 7,
  333: 8
}

type Handler = (value: never) => void

/**
 * Steam's callbacks, dispatched by Parley: one manual-dispatch loop (the addon's runCallbacks)
 * instead of steamworks.js's, so that ValidateAuthTicketResponse (143) reaches the app; the
 * callbacks and lobby calls Parley used from steamworks.js are served here with the same shapes.
 * steamworks.js stays for what needs no callbacks: init, the local player, P2P networking.
 */
export class SteamCallbackDispatch {
  readonly faults: LoopFaults
  private readonly handlers = new Map<number, Set<Handler>>()
  private readonly verdictListeners = new Set<(event: ValidateAuthTicketResponse) => void>()
  private readonly calls = new Map<
    bigint,
    { kind: 'lobbyCreated' | 'lobbyEntered'; resolve(lobby: SteamLobby): void; reject(error: Error): void; due: number }
  >()
  private timer: unknown = null

  constructor(
    private readonly native: NativeAddon,
    logger: Logger,
    private readonly scheduler: Scheduler = realScheduler
  ) {
    this.faults = new LoopFaults(logger)
    this.timer = this.scheduler.setTimeout(this.tick, DISPATCH_INTERVAL_MS)
  }

  /** steamworks.js's `callback` face, for the callbacks Parley uses. */
  readonly callback: SteamworksApi['callback'] = {
    register: (callback, handler) => {
      const set = this.handlers.get(callback) ?? new Set()
      this.handlers.set(callback, set)
      set.add(handler)
      return { disconnect: () => set.delete(handler) }
    }
  }

  /** steamworks.js's `matchmaking` face: lobbies through the addon, answered by call results here. */
  readonly matchmaking: SteamworksApi['matchmaking'] = {
    createLobby: async (_lobbyType, maxMembers) => this.await('lobbyCreated', this.native.createLobby(maxMembers)),
    joinLobby: async (lobbyId) => this.await('lobbyEntered', this.native.joinLobby(lobbyId))
  }

  /** Steam's verdicts on auth sessions (callback 143). */
  onValidateAuthTicketResponse(listener: (event: ValidateAuthTicketResponse) => void): () => void {
    this.verdictListeners.add(listener)
    return () => this.verdictListeners.delete(listener)
  }

  close(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer)
    this.timer = null
    for (const call of this.calls.values()) call.reject(new Error('Parley is closing.'))
    this.calls.clear()
  }

  private await(kind: 'lobbyCreated' | 'lobbyEntered', call: bigint): Promise<SteamLobby> {
    return new Promise((resolve, reject) => {
      if (call === 0n) return reject(new Error('Steam refused the request (no call handle)'))
      this.calls.set(call, { kind, resolve, reject, due: this.scheduler.now() + CALL_TIMEOUT_MS })
    })
  }

  private lobby(id: bigint): SteamLobby {
    return {
      id,
      getMembers: () => this.native.getLobbyMembers(id).map((steamId64) => ({ steamId64 })),
      leave: () => this.native.leaveLobby(id),
      openInviteDialog: () => this.native.openInviteDialog(id)
    }
  }

  private readonly tick = (): void => {
    try {
      for (const event of this.native.runCallbacks()) {
        try {
          this.deliver(event)
        } catch (error) {
          this.faults.record(`Steam callback ${event.callback}`, error)
        }
      }
    } catch (error) {
      this.faults.record('Steam callbacks', error)
    }
    const now = this.scheduler.now()
    for (const [call, waiting] of this.calls) {
      if (now < waiting.due) continue
      this.calls.delete(call)
      waiting.reject(new Error('Steam did not answer in 15 s'))
    }
    if (this.timer !== null) this.timer = this.scheduler.setTimeout(this.tick, DISPATCH_INTERVAL_MS)
  }

  private deliver(event: SteamCallbackEvent): void {
    switch (event.callback) {
      case 143:
        for (const listener of this.verdictListeners)
          listener({
            steamId: event.steamId,
            response: event.response as EAuthSessionResponse,
            ownerSteamId: event.ownerSteamId
          })
        return
      case 703: {
        const waiting = this.calls.get(event.call)
        if (!waiting || waiting.kind !== event.result) return
        this.calls.delete(event.call)
        if (event.ok) waiting.resolve(this.lobby(event.lobby))
        else
          waiting.reject(
            new Error(
              event.result === 'lobbyCreated'
                ? `Steam could not create the lobby (EResult ${event.eresult})`
                : `Steam did not let us into the lobby (response ${event.eresult})`
            )
          )
        return
      }
      default:
        this.emit(STEAMWORKS_JS_ID[event.callback], steamworksJsShape(event))
    }
  }

  private emit(id: number | undefined, value: unknown): void {
    if (id === undefined) return
    for (const handler of this.handlers.get(id) ?? []) handler(value as never)
  }
}

/** The payload steamworks.js gave for the same callback (its field names). */
function steamworksJsShape(event: SteamCallbackEvent): unknown {
  switch (event.callback) {
    case 103:
      return { reason: event.reason }
    case 506:
      return {
        lobby: event.lobby,
        user_changed: event.userChanged,
        making_change: event.userChanged,
        member_state_change: event.memberStateChange
      }
    case 1202:
      return { remote: event.remote }
    case 1203:
      return { remote: event.remote, error: event.error }
    case 333:
      return { lobby_steam_id: event.lobby, friend_steam_id: 0n }
    default:
      return {}
  }
}
