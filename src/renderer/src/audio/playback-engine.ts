import type { AudioRoute } from '@shared/contract'
import { FrameRing } from '@shared/frame-ring'
import { openAudioStream, type AudioStream } from './audio-stream'
import { PLAYBACK_PROCESSOR, type PlaybackActivity, type PlaybackControl } from './worklet-messages'
import playbackWorkletUrl from './playback.worklet.ts?worker&url'

interface Graph {
  context: AudioContext
  node: AudioWorkletNode
  stream: AudioStream
}

export interface PlaybackOptions {
  openRoute: () => Promise<AudioRoute>
  /** The AudioContext could not start without a gesture (browsers' autoplay rule). */
  onSuspended?: (suspended: boolean) => void
}

/**
 * The speakers: one AudioContext at the device's own rate (a context at another rate makes
 * Chromium resample and buffer again: measured ~40 ms), the playback worklet, and the stream of
 * frames from main, whatever rate main decodes at (the worklet converts once).
 */
export class Playback {
  private graph: Graph | null = null
  private readonly gains = new Map<string, number>()
  private sinkId = 'default'
  private starting: Promise<void> | null = null
  /**
   * Suspended by us while nothing plays and nobody else is in the room (not by the browser's
   * autoplay rule): no rendering and no device callbacks. Not while others are there: resuming
   * reopens the output stream, and here its first half second came with a 200 ms hole in 2 of 3
   * tries, which took the first word after a pause (docs/voice-path.md).
   */
  private resting = false
  /** Whether anyone else is in the room (who could start talking). */
  private company = false
  /** The worklet said nothing plays (and has not said otherwise since). */
  private workletQuiet = false
  /** The frame ring's count when it said so (frames written since mean audio is on its way). */
  private quietAtFrame = 0
  private ring: FrameRing | null = null
  /** A cue is playing until then (the context's own clock, s): the context stays awake for it. */
  private cueUntil = 0
  private restTimer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly options: PlaybackOptions) {}

  /** Builds the graph once; later calls wait for the same build. */
  start(): Promise<void> {
    this.starting ??= this.build().then((graph) => {
      this.graph = graph
    })
    return this.starting
  }

  setGain(speaker: string, gain: number): void {
    this.gains.set(speaker, gain)
    this.post({ type: 'gain', speaker, gain })
  }

  async setSink(sinkId: string): Promise<void> {
    // Re-setting the same device still reopens the output: only a change does anything.
    if (sinkId === this.sinkId) return
    this.sinkId = sinkId
    const context = this.graph?.context as (AudioContext & { setSinkId?(id: string): Promise<void> }) | undefined
    await context?.setSinkId?.(sinkId === 'default' ? '' : sinkId)
    this.postLatency()
  }

  /** After a user gesture, where the browser held the context back. */
  resume(): void {
    if (this.resting) return
    void this.graph?.context.resume()
  }

  /**
   * The context, awake, for a cue of `seconds` (woken if it rests): call play(context) with it.
   * Null before the graph exists.
   */
  awakeFor(seconds: number): AudioContext | null {
    const context = this.graph?.context
    if (!context) return null
    this.cueUntil = Math.max(this.cueUntil, context.currentTime + seconds)
    this.wake()
    // The worklet told its quiet once, before the cue: the page rests the context after it.
    if (this.workletQuiet) this.restTimer = setTimeout(() => this.rest(), seconds * 1000 + 50)
    return context
  }

  private wake(): void {
    if (this.restTimer !== null) clearTimeout(this.restTimer)
    this.restTimer = null
    if (!this.resting) return
    this.resting = false
    void this.graph?.context.resume()
  }

  /** Someone else is in the room (the context stays awake while they are), or nobody is. */
  setCompany(company: boolean): void {
    this.company = company
    if (company) this.wake()
    else if (this.workletQuiet) this.rest()
  }

  private rest(): void {
    this.restTimer = null
    const context = this.graph?.context
    if (!context || this.company || !this.workletQuiet || context.state !== 'running') return
    // Frames came after the worklet went quiet (the link worker's wake may have come first, and
    // found the context running): they must play, not wait for a resume nobody will ask for.
    if (this.ring && this.ring.framesWritten !== this.quietAtFrame) return
    const cueLeft = this.cueUntil - context.currentTime
    if (cueLeft > 0) {
      this.restTimer = setTimeout(() => this.rest(), cueLeft * 1000 + 50)
      return
    }
    this.resting = true
    void context.suspend()
  }

  async close(): Promise<void> {
    if (this.restTimer !== null) clearTimeout(this.restTimer)
    await this.starting?.catch(() => {})
    this.graph?.stream.close()
    await this.graph?.context.close()
    this.graph = null
  }

  private async build(): Promise<Graph> {
    // The smallest render buffer the device allows (128 frames where it can): 'interactive' gave
    // 512 on PulseAudio, and the playout queue has to cover what one callback takes at once.
    const context = new AudioContext({ latencyHint: 0 })
    const withSink = context as AudioContext & { setSinkId?(id: string): Promise<void> }
    if (this.sinkId !== 'default') await withSink.setSinkId?.(this.sinkId).catch(() => {})
    await context.audioWorklet.addModule(playbackWorkletUrl)
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, { numberOfInputs: 0, outputChannelCount: [2] })
    node.port.onmessage = (event: MessageEvent<PlaybackActivity>) => {
      this.workletQuiet = event.data.type === 'quiet'
      if (event.data.type === 'quiet') {
        this.quietAtFrame = event.data.framesWritten
        this.rest()
      } else this.wake()
    }
    const stream = await openAudioStream('playback', this.options.openRoute)
    stream.onWake = () => this.wake()
    this.ring = stream.ring ? new FrameRing(stream.ring) : null
    const control: PlaybackControl = { type: 'stream', port: stream.port, ring: stream.ring }
    node.port.postMessage(control, [stream.port])
    for (const [speaker, gain] of this.gains)
      node.port.postMessage({ type: 'gain', speaker, gain } satisfies PlaybackControl)
    node.connect(context.destination)
    context.onstatechange = () => {
      this.options.onSuspended?.(context.state === 'suspended' && !this.resting)
      this.postLatency()
    }
    await context.resume().catch(() => {})
    this.options.onSuspended?.(context.state === 'suspended')
    const graph = { context, node, stream }
    this.graph = graph
    this.postLatency()
    return graph
  }

  /** The context's own latency, for main's mouth-to-ear figure. */
  private postLatency(): void {
    const context = this.graph?.context
    if (!context) return
    const ms = ((context.baseLatency || 0) + ((context as { outputLatency?: number }).outputLatency || 0)) * 1000
    this.post({ type: 'output-latency', ms })
  }

  private post(message: PlaybackControl): void {
    this.graph?.node.port.postMessage(message)
  }
}
