import type { Logger } from './logging/logger'
import { Authentication, LanAuthBackend, SteamAuthBackend } from './auth/authentication'
import { loadOrCreateIdentity } from './auth/lan-identity'
import { warmUpVoiceCodecs } from './codec/warm-up'
import { LanRoomLink } from './lan/lan-room-link'
import { EmbeddedSteamVoice } from './steam-voice/embedded-steam-voice'
import type { SteamVoice } from './steam-voice/steam-voice'
import { SteamCallbackDispatch } from './steam/steam-callback-dispatch'
import { SteamClientVoice } from './steam/steam-client-voice'
import { SteamLobbyTransport } from './steam/steam-lobby-transport'
import { SteamRoomLink } from './steam/steam-room-link'
import type { SteamworksApi } from './steam/steamworks-api'
import type { BackendDecision } from './steam/voice-backend'
import type { EngineOptions } from './parley-engine'
import type { RoomLink } from './transport/room-link'

/** Who we are in the room, the room itself, and the voice that records and decodes for it. */
export interface OpenRoom {
  self: { id: bigint; name: string }
  link: RoomLink
  /** Steam's voice, or the embedded Steam-compatible one (LAN mode). */
  voice: SteamVoice
  /** The embedded voice, which takes the page's microphone frames; null with Steam (it records itself). */
  embedded: EmbeddedSteamVoice | null
  /** Frees what the room's backend holds beside the link (Steam's callbacks, the codecs). */
  close(): void
}

export interface OpenRoomOptions {
  options: Pick<EngineOptions, 'dataDir' | 'name' | 'listen'>
  backend: BackendDecision
  lanPort: number
  displayName: string
  logger: Logger
}

/**
 * The room on the chosen backend: a Steam lobby (Steam records and encodes, our dispatch serves
 * its callbacks), or a LAN room with our own identity and the embedded voice.
 */
export async function openRoom({ options, backend, lanPort, displayName, logger }: OpenRoomOptions): Promise<OpenRoom> {
  const self = { id: 0n, name: options.name ?? displayName }
  let link: RoomLink
  let steamVoice: SteamVoice
  let embedded: EmbeddedSteamVoice | null = null
  let closeSteamCallbacks = (): void => {}
  if (backend.kind === 'steam') {
    self.id = backend.native.getSteamID()
    self.name = options.name ?? backend.native.getPersonaName()
    steamVoice = new SteamClientVoice(backend.native)
    // Steam's callbacks come through our dispatch (lobbies, P2P events, auth verdicts);
    // steamworks.js keeps the local player and P2P networking.
    const callbacks = new SteamCallbackDispatch(backend.native, logger)
    closeSteamCallbacks = () => callbacks.close()
    const auth = new Authentication(new SteamAuthBackend(backend.native), () => Date.now())
    callbacks.onValidateAuthTicketResponse((event) => auth.validateAuthTicketResponse(event))
    const steam: SteamworksApi = {
      localplayer: backend.steamworks.localplayer,
      networking: backend.steamworks.networking,
      matchmaking: callbacks.matchmaking,
      callback: callbacks.callback
    }
    link = await SteamRoomLink.open(new SteamLobbyTransport(steam, logger, undefined, auth), backend.native, logger)
  } else {
    // In LAN mode we are who our Ed25519 identity says (created on first run beside the settings).
    const identity = await loadOrCreateIdentity(options.dataDir, logger)
    self.id = identity.steamId
    embedded = await EmbeddedSteamVoice.create({ steamId: identity.steamId })
    logger.info(`voice codecs warmed up in ${warmUpVoiceCodecs().toFixed(0)} ms`)
    steamVoice = embedded
    link = await LanRoomLink.open({
      name: self.name,
      host: options.listen?.host ?? '0.0.0.0',
      port: options.listen?.port ?? lanPort,
      auth: new Authentication(new LanAuthBackend(identity), () => Date.now()),
      logger
    })
  }
  return {
    self,
    link,
    voice: steamVoice,
    embedded,
    close() {
      closeSteamCallbacks()
      embedded?.free()
    }
  }
}
