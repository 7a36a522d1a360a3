import { loadRnnoise, RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor'
import rnnoiseWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url'
import rnnoiseSimdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url'
import rnnoiseWorkletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url'

/** RNNoise works on 10 ms frames at 48 kHz only. */
const RNNOISE_RATE = 48000

export interface DenoisedTrack {
  track: MediaStreamTrack
  close(): Promise<void>
}

/**
 * The microphone through RNNoise (xiph's recurrent-network noise suppressor, as Mumble ships it;
 * @sapphi-red/web-noise-suppressor's AudioWorklet build): a 48 kHz AudioContext runs the worklet
 * and hands its output on as a track the capture worker reads like any microphone.
 */
export async function denoisedTrack(microphone: MediaStream): Promise<DenoisedTrack> {
  const context = new AudioContext({ sampleRate: RNNOISE_RATE, latencyHint: 'interactive' })
  try {
    const [wasmBinary] = await Promise.all([
      loadRnnoise({ url: rnnoiseWasmUrl, simdUrl: rnnoiseSimdWasmUrl }),
      context.audioWorklet.addModule(rnnoiseWorkletUrl)
    ])
    const source = context.createMediaStreamSource(microphone)
    const rnnoise = new RnnoiseWorkletNode(context, { wasmBinary, maxChannels: 1 })
    const destination = context.createMediaStreamDestination()
    destination.channelCount = 1
    source.connect(rnnoise).connect(destination)
    // Capture is not playback: no gesture is needed for it, but a context may start suspended.
    await context.resume()
    return {
      track: destination.stream.getAudioTracks()[0]!,
      async close() {
        rnnoise.destroy()
        source.disconnect()
        await context.close()
      }
    }
  } catch (error) {
    await context.close().catch(() => {})
    throw error
  }
}
