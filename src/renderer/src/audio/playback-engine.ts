import type { AudioRoute } from '@shared/contract'
import { openAudioStream, type AudioStream } from './audio-stream'
import { PLAYBACK_PROCESSOR, type PlaybackControl } from './worklet-messages'
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

  constructor(private readonly options: PlaybackOptions) {}

  get context(): AudioContext | null {
    return this.graph?.context ?? null
  }

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
    void this.graph?.context.resume()
  }

  async close(): Promise<void> {
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
    const stream = await openAudioStream('playback', this.options.openRoute)
    const control: PlaybackControl = { type: 'stream', port: stream.port }
    node.port.postMessage(control, [stream.port])
    for (const [speaker, gain] of this.gains)
      node.port.postMessage({ type: 'gain', speaker, gain } satisfies PlaybackControl)
    node.connect(context.destination)
    context.onstatechange = () => {
      this.options.onSuspended?.(context.state === 'suspended')
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
