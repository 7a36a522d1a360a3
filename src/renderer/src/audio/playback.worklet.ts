import type {} from './audio-worklet-scope'
import { decodePlaybackFrame, PLAYBACK_FRAME_GONE } from '@shared/playback-frame'
import { PlayoutBuffer } from '@shared/playout-buffer'
import { PLAYBACK_PROCESSOR, type PlaybackControl, type PlaybackReport } from './worklet-messages'

/** A speaker's audio plays once this much is queued, whatever main asks for (a floor for IPC jitter). */
const MIN_TARGET_MS = 20
const REPORT_EVERY_S = 0.25

interface Speaker {
  id: string
  playout: PlayoutBuffer
}

/**
 * Plays every speaker in the room: one playout buffer per speaker (the same rules main uses),
 * fed by PCM frames from main on a MessagePort, mixed with each member's gain. process()
 * allocates nothing; frames are copied in as they arrive.
 */
class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly speakers: Speaker[] = []
  private readonly gains = new Map<string, number>()
  private mix = new Float32Array(128)
  private refused = 0
  private quanta = 0
  private readonly reportEvery = Math.max(1, Math.round((sampleRate * REPORT_EVERY_S) / 128))

  constructor() {
    super()
    this.port.onmessage = (event: MessageEvent<PlaybackControl>) => {
      const message = event.data
      if (message.type === 'stream') message.port.onmessage = (frame) => this.onFrame(frame.data)
      else if (message.type === 'gain') {
        this.gains.set(message.speaker, message.gain)
        const speaker = this.find(message.speaker)
        if (speaker) speaker.playout.gain = message.gain
      }
    }
  }

  private onFrame(data: unknown): void {
    const frame = data instanceof ArrayBuffer ? decodePlaybackFrame(data) : null
    if (!frame || frame.sampleRate !== sampleRate) {
      this.refused++
      return
    }
    const now = currentTime * 1000
    let speaker = this.find(frame.speaker)
    if (frame.kind === PLAYBACK_FRAME_GONE) {
      if (speaker) this.speakers.splice(this.speakers.indexOf(speaker), 1)
      return
    }
    if (!speaker) {
      speaker = { id: frame.speaker, playout: new PlayoutBuffer(sampleRate, MIN_TARGET_MS) }
      speaker.playout.gain = this.gains.get(frame.speaker) ?? 1
      this.speakers.push(speaker)
    }
    speaker.playout.setTargetMs(Math.max(MIN_TARGET_MS, frame.targetMs))
    speaker.playout.push(frame.samples, frame.samples.length, now)
  }

  private find(id: string): Speaker | undefined {
    for (let i = 0; i < this.speakers.length; i++) if (this.speakers[i]!.id === id) return this.speakers[i]
    return undefined
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0]!
    const first = channels[0]
    if (!first) return true
    const count = first.length
    if (this.mix.length < count) this.mix = new Float32Array(count)
    const mix = this.mix
    mix.fill(0, 0, count)
    const now = currentTime * 1000
    for (let i = 0; i < this.speakers.length; i++) this.speakers[i]!.playout.mixInto(mix, 0, count, now)
    for (let i = 0; i < count; i++) {
      const value = mix[i]! / 32768
      first[i] = value > 1 ? 1 : value < -1 ? -1 : value
    }
    for (let c = 1; c < channels.length; c++) channels[c]!.set(first)
    if (++this.quanta % this.reportEvery === 0) this.report()
    return true
  }

  private report(): void {
    const report: PlaybackReport = {
      type: 'stats',
      speakers: this.speakers.map((s) => ({
        speaker: s.id,
        bufferedMs: Math.round(s.playout.bufferedMs),
        underruns: s.playout.underruns
      })),
      refused: this.refused
    }
    this.port.postMessage(report)
  }
}

registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor)
