import type { RoomMember } from '@shared/contract'
import type { Settings } from '@shared/settings-schema'
import type { ContractClient } from '../bridge/contract-client'
import type { RoomStoreApi } from '../room/room-store'
import type { SettingsStoreApi } from '../settings/settings-store'
import { Capture, type CaptureProcessing } from './capture'
import { microphoneMessage } from './microphone-message'
import { Playback } from './playback-engine'
import { playTone, toneSeconds, type ToneKind } from './tones'

/** While there is no microphone, it is looked for this often. */
const MICROPHONE_RETRY_MS = 3000

/** A member's playback gain from the settings: volume percent, or silence when muted. */
export function memberGain(settings: Settings, id: string): number {
  const entry = settings.memberVolumes[id]
  return entry ? (entry.muted ? 0 : entry.volume / 100) : 1
}

/**
 * Connects the window's audio to main: playback at the device's rate, per-member gains and the
 * output device from settings, and the microphone sent while push-to-talk is open. Nothing here
 * renders; the stores tell React.
 */
export function startAudio(client: ContractClient, room: RoomStoreApi, settings: SettingsStoreApi): () => void {
  const playback = new Playback({
    openRoute: () => client.call('playback:open'),
    onSuspended: (suspended) =>
      room.getState().setAudioProblem(suspended ? 'Sound is paused by the browser: click anywhere to start it' : null)
  })
  let capture: Capture | null = null
  let captureDevice: string | null = null
  let stopped = false
  let retry: ReturnType<typeof setTimeout> | null = null

  // Frames go to main while the microphone is open, and all the time with voice activation
  // (main decides from them when to open it).
  const sending = (): boolean => {
    const { pressed, status } = room.getState()
    const voiceActivated = settings.getState().state?.settings.inputMode === 'voice-activation'
    return voiceActivated || pressed || (status !== null && status.transmit !== 'idle')
  }

  const startCapture = async (deviceId: string): Promise<void> => {
    // Not before main has said which backend runs: with Steam, the client has the microphone.
    const { info, status } = room.getState()
    if (!info) return
    if (info.voiceBackend.kind === 'steam') return room.getState().setMicrophone(null, null)
    // Main records the microphone itself (LAN mode, settings that need no browser processing).
    if (status?.microphone === 'app') {
      captureDevice = null
      await capture?.stop()
      capture = null
      return room.getState().setMicrophone(true, null)
    }
    // The device and the browser's processing make one capture: a change to either restarts it.
    const current = settings.getState().state?.settings
    const processing: CaptureProcessing = {
      echoCancellation: current?.echoCancellation ?? true,
      noiseSuppression: current?.noiseSuppression ?? true,
      autoGainControl: current?.autoGainControl ?? false,
      strongNoiseSuppression: current?.strongNoiseSuppression ?? false
    }
    const key = [deviceId, ...Object.values(processing)].join('|')
    if (captureDevice === key) return
    captureDevice = key
    await capture?.stop()
    capture = null
    let started: Capture | null = null
    try {
      started = await Capture.start({
        deviceId,
        processing,
        openRoute: () => client.call('capture:open'),
        onLevel: (level) => room.getState().setLocalLevel(level),
        onEnded: () => {
          if (!started || capture !== started) return
          void started.stop()
          capture = null
          captureDevice = null // the next device change tries again
          room.getState().setMicrophone(false, microphoneMessage('ended'))
          retryLater('ended')
        }
      })
      capture = started
      capture.setSending(sending())
      room.getState().setMicrophone(true, null)
      if (stopped) void capture.stop()
    } catch (error) {
      captureDevice = null
      room.getState().setMicrophone(false, microphoneMessage(error))
      retryLater(error)
    }
  }
  // Device changes are not announced everywhere (no udev in a container, some Bluetooth stacks),
  // so a microphone that went away is also looked for every few seconds, unless it was refused.
  const retryLater = (failure: unknown): void => {
    if (
      retry !== null ||
      stopped ||
      (failure instanceof Error && (failure.name === 'NotAllowedError' || failure.name === 'SecurityError'))
    )
      return
    retry = setTimeout(() => {
      retry = null
      if (!capture && !stopped) void startCapture(settings.getState().state?.settings.inputDeviceId ?? 'default')
    }, MICROPHONE_RETRY_MS)
  }
  // A microphone plugged in (or back): used again at once.
  const onDeviceChange = (): void => {
    if (!capture) void startCapture(settings.getState().state?.settings.inputDeviceId ?? 'default')
  }
  navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange)

  const applySettings = (next: Settings | undefined): void => {
    if (!next) return
    for (const member of room.getState().room?.members ?? []) playback.setGain(member.id, memberGain(next, member.id))
    void playback.setSink(next.outputDeviceId).catch(() => {})
    void startCapture(next.inputDeviceId)
  }

  const cue = (kind: ToneKind): void => {
    const volume = settings.getState().state?.settings.soundVolume ?? 0
    if (volume <= 0) return
    const context = playback.awakeFor(toneSeconds(kind))
    if (context) playTone(context, kind, volume / 100)
  }
  // Someone came or went (not the first room the page sees, nor a member's state changing).
  const cueMembers = (before: RoomMember[], after: RoomMember[]): void => {
    if (!settings.getState().state?.settings.roomSounds) return
    const had = new Set(before.map((member) => member.id))
    const has = new Set(after.map((member) => member.id))
    if (after.some((member) => !had.has(member.id))) cue('join')
    else if (before.some((member) => !has.has(member.id))) cue('leave')
  }

  let wasSending = false
  const stopRoom = room.subscribe((state, previous) => {
    const now = sending()
    if (now !== wasSending) capture?.setSending(now)
    wasSending = now
    if (state.status && !previous.status) {
      playback.start().catch((error: Error) => room.getState().setAudioProblem(`No sound: ${error.message}`))
    }
    if (state.room !== previous.room || state.status?.microphone !== previous.status?.microphone) {
      playback.setCompany((state.room?.members.length ?? 0) > 0)
      applySettings(settings.getState().state?.settings)
      if (previous.room) cueMembers(previous.room.members, state.room?.members ?? [])
    }
    const was = previous.status?.transmit ?? 'idle'
    const transmit = state.status?.transmit ?? 'idle'
    if ((was === 'idle') !== (transmit === 'idle') && settings.getState().state?.settings.pushToTalkSounds) {
      cue(transmit !== 'idle' ? 'open' : 'close')
    }
    if (previous.status && state.status && previous.status.muted !== state.status.muted) {
      cue(state.status.muted ? 'mute' : 'unmute')
    }
  })
  const stopSettings = settings.subscribe((state, previous) => {
    if (state.state?.settings === previous.state?.settings) return
    applySettings(state.state?.settings)
    const now = sending()
    if (now !== wasSending) capture?.setSending(now)
    wasSending = now
  })
  // Browsers hold audio back until a gesture; any click or key lets it go.
  const resume = (): void => playback.resume()
  window.addEventListener('pointerdown', resume)
  window.addEventListener('keydown', resume)

  playback.setCompany((room.getState().room?.members.length ?? 0) > 0)
  if (room.getState().status) {
    playback.start().catch((error: Error) => room.getState().setAudioProblem(`No sound: ${error.message}`))
  }
  applySettings(settings.getState().state?.settings)

  return () => {
    stopped = true
    if (retry !== null) clearTimeout(retry)
    stopRoom()
    stopSettings()
    window.removeEventListener('pointerdown', resume)
    window.removeEventListener('keydown', resume)
    navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange)
    void playback.close()
    void capture?.stop()
  }
}
