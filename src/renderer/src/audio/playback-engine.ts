import type { AudioRoute } from '@shared/contract'
import { openAudioStream, type AudioStream } from './audio-stream'
import { PLAYBACK_PROCESSOR, type PlaybackControl, type PlaybackReport } from './worklet-messages'
import playbackWorkletUrl from './playback.worklet.ts?worker&url'

interface Graph {
  context: AudioContext
  node: AudioWorkletNode
  stream: AudioStream
}

export interface PlaybackOptions {
  openRoute: () => Promise<AudioRoute>
  onReport?: (report: PlaybackReport) => void
  /** The AudioContext could not start without a gesture (browsers' autoplay rule). */
  onSuspended?: (suspended: boolean) => void
}

/**
 * The speakers: an AudioContext at the rate main decodes at (so nothing resamples in JS), the
 * playback worklet, and the stream of frames from main. A new rate builds a new graph and
 * only then closes the old one, so the gap is the moment the switch takes.
 */
export class Playback {
  private graph: Graph | null = null
  private readonly gains = new Map<string, number>()
  private sinkId = 'default'
  private building: Promise<void> = Promise.resolve()

  constructor(private readonly options: PlaybackOptions) {}

  get context(): AudioContext | null {
    return this.graph?.context ?? null
  }

  /** Starts, or rebuilds at a new rate; calls are queued so two changes cannot interleave. */
  setRate(sampleRate: number): Promise<void> {
    this.building = this.building.then(async () => {
      if (this.graph?.context.sampleRate === sampleRate) return
      const next = await this.build(sampleRate)
      const previous = this.graph
      this.graph = next
      if (previous) {
        previous.stream.close()
        void previous.context.close()
      }
    })
    return this.building
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
  }

  /** After a user gesture, where the browser held the context back. */
  resume(): void {
    void this.graph?.context.resume()
  }

  async close(): Promise<void> {
    await this.building
    this.graph?.stream.close()
    await this.graph?.context.close()
    this.graph = null
  }

  private async build(sampleRate: number): Promise<Graph> {
    const context = new AudioContext({ sampleRate, latencyHint: 'interactive' })
    const withSink = context as AudioContext & { setSinkId?(id: string): Promise<void> }
    if (this.sinkId !== 'default') await withSink.setSinkId?.(this.sinkId).catch(() => {})
    await context.audioWorklet.addModule(playbackWorkletUrl)
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, { numberOfInputs: 0, outputChannelCount: [2] })
    node.port.onmessage = (event: MessageEvent<PlaybackReport>) => this.options.onReport?.(event.data)
    const stream = await openAudioStream('playback', this.options.openRoute)
    const control: PlaybackControl = { type: 'stream', port: stream.port }
    node.port.postMessage(control, [stream.port])
    for (const [speaker, gain] of this.gains)
      node.port.postMessage({ type: 'gain', speaker, gain } satisfies PlaybackControl)
    node.connect(context.destination)
    context.onstatechange = () => this.options.onSuspended?.(context.state === 'suspended')
    await context.resume().catch(() => {})
    this.options.onSuspended?.(context.state === 'suspended')
    return { context, node, stream }
  }

  private post(message: PlaybackControl): void {
    this.graph?.node.port.postMessage(message)
  }
}
