import { Alarm, type Scheduler } from '../time/scheduler'
import { LocalPlayout } from './local-playout'

/** The headless peer's output takes a block as long as a Web Audio render quantum (128 at 48 kHz)... */
export const OUTPUT_BLOCK_MS = (128 / 48000) * 1000
/**
 * ...and by default keeps two mixed ahead of the one playing, so a timer up to 2.67 ms late costs
 * no gap (a low-latency sound card). A process running many peers at once needs more.
 */
export const DEFAULT_BLOCKS_AHEAD = 2

/**
 * The headless peer's speakers: every 2.67 ms (a render quantum, as the app's worklet plays) it
 * mixes a block from every speaker’s playout, keeping two blocks mixed ahead of the one playing,
 * as a sound card's buffer does, into a recording.
 * Output sample i leaves at start + i / rate exactly; a boundary the process was too late for
 * passes as silence, as on a sound card, so the recording's timing is the truth about when each
 * sample left. While nobody plays, nothing ticks.
 */
export class HeadlessOutput {
  /** When output sample 0 left (ms on the scheduler's clock); NaN before start. */
  startedAt = NaN
  /** Blocks the process was too late for (played as silence). */
  lateBlocks = 0
  private readonly playouts: LocalPlayout[] = []
  private readonly alarm: Alarm
  private readonly block: number
  private readonly mix: Float32Array
  private samplesOut = 0
  /** Ticking (someone plays), as against woken from idle: only a ticking output can be late. */
  private ticking = false
  /** The recording, a second at a time (one allocation a second, not one a block). */
  private readonly chunks: Int16Array[] = []
  private chunkFill = 0
  private recorded = 0

  constructor(
    private readonly scheduler: Scheduler,
    readonly sampleRate: number,
    private readonly record: boolean,
    private readonly blocksAhead = DEFAULT_BLOCKS_AHEAD
  ) {
    this.block = Math.round((sampleRate * OUTPUT_BLOCK_MS) / 1000)
    this.mix = new Float32Array(this.block)
    this.alarm = new Alarm(scheduler, this.tick)
  }

  start(): void {
    this.startedAt = this.scheduler.now()
  }

  /** A speaker's playout, drained by this output. */
  open(): LocalPlayout {
    const playout = new LocalPlayout(
      OUTPUT_BLOCK_MS,
      () => this.scheduler.now(),
      () => this.wake(),
      (closed) => this.playouts.splice(this.playouts.indexOf(closed), 1)
    )
    this.playouts.push(playout)
    return playout
  }

  /** Audio arrived somewhere: make sure the clock runs. */
  wake(): void {
    this.alarm.wakeAt(this.nextBlockAt())
  }

  /** What came out, as 16-bit mono at the output's rate. */
  recording(): Int16Array {
    this.fillSilenceTo(Math.floor(((this.scheduler.now() - this.startedAt) * this.sampleRate) / 1000))
    const samples = new Int16Array(this.recorded)
    let offset = 0
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, Math.min(chunk.length, this.recorded - offset))
      samples.set(part, offset)
      offset += part.length
    }
    return samples
  }

  stop(): void {
    this.alarm.cancel()
  }

  /** When the oldest block mixed ahead starts to leave: time to mix another. */
  private nextBlockAt(): number {
    return this.startedAt + ((this.samplesOut - this.blocksAhead * this.block) * 1000) / this.sampleRate + 0.01
  }

  private readonly tick = (): void => {
    const now = this.scheduler.now()
    // The block playing now must have been mixed already; if it was not, it is silence (a late sound card).
    const playingNow = Math.floor(((now - this.startedAt) * this.sampleRate) / 1000 / this.block)
    if (this.ticking) {
      const late = this.fillSilenceTo((playingNow + 1) * this.block)
      if (late > 0) this.lateBlocks += late / this.block
    } else {
      // Woken from idle: a sound card never stops, and its buffer ahead was full of silence.
      this.fillSilenceTo((playingNow + 1 + this.blocksAhead) * this.block)
    }
    // Then blocks mixed ahead of it, up to the device's buffer.
    while (this.samplesOut < (playingNow + 1 + this.blocksAhead) * this.block) {
      const mix = this.mix
      mix.fill(0)
      for (let i = 0; i < this.playouts.length; i++) {
        const buffer = this.playouts[i]!.current
        if (!buffer || buffer.sampleRate !== this.sampleRate || buffer.state !== 'playing') continue
        buffer.pull(mix, 0, this.block, now)
      }
      this.append(mix)
    }
    this.ticking = this.playouts.some((playout) => playout.current?.state === 'playing')
    if (this.ticking) this.wake()
  }

  /** Output up to sample `index` that nothing was mixed for: silence. Returns how many samples. */
  private fillSilenceTo(index: number): number {
    if (this.samplesOut >= index) return 0
    const silence = index - this.samplesOut
    if (this.record) for (let i = 0; i < silence; i++) this.writeSample(0)
    this.samplesOut = index
    return silence
  }

  private append(mix: Float32Array): void {
    this.samplesOut += this.block
    if (!this.record) return
    for (let i = 0; i < mix.length; i++) this.writeSample(Math.max(-32768, Math.min(32767, Math.round(mix[i]!))))
  }

  private writeSample(value: number): void {
    let chunk = this.chunks[this.chunks.length - 1]
    if (!chunk || this.chunkFill === chunk.length) {
      chunk = new Int16Array(this.sampleRate)
      this.chunks.push(chunk)
      this.chunkFill = 0
    }
    chunk[this.chunkFill++] = value
    this.recorded++
  }
}
