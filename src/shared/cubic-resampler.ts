/**
 * A streaming sample-rate converter by cubic (Catmull-Rom) interpolation: four taps an output
 * sample and two input samples of delay. Voice here never carries anything above 12 kHz (Steam's
 * codec runs at 24 kHz), so from Opus's own rates to a device's it interpolates well under the
 * signal's Nyquist, where the cubic is accurate (docs/voice-path.md, "Sample rates").
 *
 * The rates are whole numbers, so output sample n falls at input position n·M/L exactly (M/L the
 * ratio in lowest terms): positions are counted in whole samples and L-ths, and the four weights
 * of each of the L phases are worked out once. Allocates nothing while it runs.
 */
export class CubicResampler {
  /** Output positions per input sample (L) and input samples per L outputs (M): in/out = M/L. */
  private readonly phases: number
  private readonly stepWhole: number
  private readonly stepPhase: number
  /** The four weights of each phase, phase-major. */
  private readonly weights: Float32Array
  /** Where the next output falls: input sample `index` (relative to the next call's first) plus phase/L. */
  private index = 0
  private phase = 0
  /** The last three input samples of the previous call. */
  private h0 = 0
  private h1 = 0
  private h2 = 0

  constructor(
    readonly inRate: number,
    readonly outRate: number
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`sample rates must be positive whole numbers (${inRate} → ${outRate})`)
    }
    const common = gcd(inRate, outRate)
    const l = outRate / common
    const m = inRate / common
    if (l > 48000) throw new RangeError(`no common grid for ${inRate} → ${outRate} Hz`)
    this.phases = l
    this.stepWhole = Math.floor(m / l)
    this.stepPhase = m % l
    this.weights = new Float32Array(4 * l)
    for (let p = 0; p < l; p++) {
      const t = p / l
      this.weights[4 * p] = 0.5 * (-t + 2 * t * t - t * t * t)
      this.weights[4 * p + 1] = 0.5 * (2 - 5 * t * t + 3 * t * t * t)
      this.weights[4 * p + 2] = 0.5 * (t + 4 * t * t - 3 * t * t * t)
      this.weights[4 * p + 3] = 0.5 * (-t * t + t * t * t)
    }
  }

  /** The most output one call with `count` input samples can produce. */
  maxOutput(count: number): number {
    return Math.ceil(((count + 3) * this.outRate) / this.inRate) + 1
  }

  /**
   * Converts `count` samples of `input` from `offset`; writes into `out` from `outOffset` and
   * returns how many it wrote.
   */
  process(input: Int16Array, offset: number, count: number, out: Int16Array, outOffset: number): number {
    const w = this.weights
    const phases = this.phases
    const stepWhole = this.stepWhole
    const stepPhase = this.stepPhase
    let index = this.index
    let phase = this.phase
    let written = 0
    // Interpolating between i and i+1 needs i-1 and i+2: the last usable i is count - 3. The first
    // outputs (i < 1) reach back into the previous call's samples; the rest read the input directly.
    while (index < 1 && index < count - 2) {
      const k = 4 * phase
      const y =
        w[k]! * this.sample(input, offset, index - 1) +
        w[k + 1]! * this.sample(input, offset, index) +
        w[k + 2]! * this.sample(input, offset, index + 1) +
        w[k + 3]! * this.sample(input, offset, index + 2)
      out[outOffset + written++] = toInt16(y)
      index += stepWhole
      phase += stepPhase
      if (phase >= phases) {
        phase -= phases
        index++
      }
    }
    const end = count - 2
    while (index < end) {
      const k = 4 * phase
      const at = offset + index
      const y =
        w[k]! * input[at - 1]! + w[k + 1]! * input[at]! + w[k + 2]! * input[at + 1]! + w[k + 3]! * input[at + 2]!
      out[outOffset + written++] = toInt16(y)
      index += stepWhole
      phase += stepPhase
      if (phase >= phases) {
        phase -= phases
        index++
      }
    }
    // Keep the last three for the next call, and count the position from its first sample.
    if (count >= 3) {
      this.h0 = input[offset + count - 3]!
      this.h1 = input[offset + count - 2]!
      this.h2 = input[offset + count - 1]!
    } else {
      for (let k = 0; k < count; k++) {
        this.h0 = this.h1
        this.h1 = this.h2
        this.h2 = input[offset + k]!
      }
    }
    this.index = index - count
    this.phase = phase
    return written
  }

  /** Sample k of this call's input; k < 0 reaches back into the previous call's last three. */
  private sample(input: Int16Array, offset: number, k: number): number {
    return k >= 0 ? input[offset + k]! : k === -1 ? this.h2 : k === -2 ? this.h1 : this.h0
  }

  reset(): void {
    this.index = 0
    this.phase = 0
    this.h0 = this.h1 = this.h2 = 0
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/** Rounded to the nearest and clipped to 16 bits, in integer arithmetic (no Math.round call). */
function toInt16(y: number): number {
  return y >= 32767 ? 32767 : y <= -32768 ? -32768 : ((y + 32768.5) | 0) - 32768
}
