/// <reference lib="dom" />
// The playback worklet in a Chromium page, outside an AudioContext: the real audio thread has no
// clock and no profiler, so the page stands in for AudioWorkletGlobalScope and calls process()
// itself, one render quantum at a time. Used by the worklet's allocation test and its benchmark.
import { build } from 'esbuild'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { MAX_PLAYBACK_FRAME_BYTES, PLAYBACK_FRAME_AUDIO, writePlaybackFrame } from '../../src/shared/playback-frame'
import { splitSteamId } from '../../src/shared/steam-id'
import { noise } from './audio'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
export const WORKLET_URL = 'parley-playback-worklet.js'

/** The playback worklet from source, bundled as the app's build does (the @shared alias included). */
export async function bundlePlaybackWorklet(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'src/renderer/src/audio/playback.worklet.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
    plugins: [
      {
        name: 'shared-alias',
        setup(b) {
          b.onResolve({ filter: /^@shared\// }, (args) => ({
            path: path.join(ROOT, 'src/shared', `${args.path.slice('@shared/'.length)}.ts`)
          }))
        }
      }
    ]
  })
  return result.outputFiles[0]!.text
}

/**
 * One 20 ms playback frame of −20 dBFS noise per speaker (different noise each), as main sends
 * them, as raw bytes for the page; `rateOf(i)` is the rate speaker i is decoded at.
 */
export function speakerFrames(speakers: number, rateOf: (speaker: number) => number): number[][] {
  return Array.from({ length: speakers }, (_, i) => {
    const rate = rateOf(i)
    const samples = (rate * 20) / 1000
    const { low, high } = splitSteamId(76561197960265728n + BigInt(i))
    const into = new Uint8Array(MAX_PLAYBACK_FRAME_BYTES)
    const length = writePlaybackFrame(
      into,
      PLAYBACK_FRAME_AUDIO,
      low,
      high,
      rate,
      Date.now(),
      noise(samples, -20, i + 1),
      0,
      samples
    )
    return Array.from(into.subarray(0, length))
  })
}

/**
 * Opens a page that holds the worklet under a stand-in scope at `sampleRate`. The worklet is
 * served as a script of its own (WORKLET_URL), so profiles can tell its frames from the harness's.
 */
export async function installWorklet(page: Page, source: string, sampleRate: number): Promise<void> {
  // localhost: a secure context, so the isolation headers take effect. The requests never leave.
  const origin = 'http://localhost:9'
  await page.route(`${origin}/**`, (route) =>
    route.request().url().endsWith(WORKLET_URL)
      ? route.fulfill({ contentType: 'text/javascript', body: source })
      : // Cross-origin isolated: performance.now() to 5 µs instead of 100.
        route.fulfill({
          contentType: 'text/html',
          headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
          body: '<!doctype html><title>worklet</title>'
        })
  )
  await page.goto(`${origin}/`)
  await page.evaluate((sampleRate) => {
    const scope = globalThis as unknown as Record<string, unknown>
    scope.sampleRate = sampleRate
    scope.currentTime = 0
    scope.currentFrame = 0
    scope.AudioWorkletProcessor = class {
      port = { onmessage: null as ((event: { data: unknown }) => void) | null, postMessage() {} }
    }
    scope.registerProcessor = (_name: string, processor: new () => unknown) => (scope.__Processor = processor)
  }, sampleRate)
  await page.addScriptTag({ url: `${origin}/${WORKLET_URL}` })
  await page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>
    const processor = new (
      scope.__Processor as new () => {
        port: { onmessage: (event: { data: unknown }) => void }
      }
    )()
    const stream = { onmessage: null as ((event: { data: unknown }) => void) | null, postMessage() {} }
    processor.port.onmessage({ data: { type: 'stream', port: stream } })
    scope.__worklet = { processor, stream, outputs: [[new Float32Array(128), new Float32Array(128)]], fed: 0, q: 0 }
  })
}

/**
 * Plays `quanta` render quanta in real time, feeding each speaker's 20 ms frame (raw playback-frame bytes) to
 * arrive every 20 ms, 10 ms before the queue would run dry, as a steady network delivers them. Returns each process() call's time in ms.
 */
export async function playQuanta(
  page: Page,
  frames: number[][],
  frameSamples: number,
  quanta: number
): Promise<number[]> {
  return page.evaluate(
    ({ frames, frameSamples, quanta }) => {
      const w = (globalThis as unknown as Record<string, unknown>).__worklet as {
        processor: { process(i: unknown[], o: Float32Array[][]): boolean }
        stream: { onmessage: (event: { data: unknown }) => void }
        outputs: Float32Array[][]
        fed: number
        q: number
      }
      const rate = (globalThis as unknown as { sampleRate: number }).sampleRate
      const buffers = frames.map((bytes) => Uint8Array.from(bytes).buffer)
      const times = new Float64Array(quanta)
      const started = performance.now()
      const lead = Math.round(rate / 100)
      for (let n = 0; n < quanta; n++, w.q++) {
        const scope = globalThis as unknown as Record<string, unknown>
        scope.currentFrame = w.q * 128
        scope.currentTime = (w.q * 128) / rate
        // In real time: the worklet reads the wall clock, as it must on the audio thread.
        const due = started + (n * 128 * 1000) / rate
        while (performance.now() < due) {
          /* the device's next callback */
        }
        while (w.fed < (w.q + 1) * 128 + lead) {
          // A copy per message, as structured cloning makes one.
          for (const buffer of buffers) w.stream.onmessage({ data: buffer.slice(0) })
          w.fed += frameSamples
        }
        const start = performance.now()
        w.processor.process([], w.outputs)
        times[n] = performance.now() - start
      }
      return Array.from(times)
    },
    { frames, frameSamples, quanta }
  )
}

interface SamplingNode {
  callFrame: { functionName: string; url: string }
  selfSize: number
  children: SamplingNode[]
}

/**
 * Bytes a second of audio allocated under the worklet's process() while `play` runs `seconds` of
 * it: on its per-quantum path, and in the reports it writes to main. V8's sampling heap profiler,
 * objects later collected included.
 */
export async function allocationsPerSecond(
  page: Page,
  play: () => Promise<unknown>,
  seconds: number
): Promise<{ quantum: number; report: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 32,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true
  })
  await play()
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } }
  await cdp.detach()
  const sum = { quantum: 0, report: 0 }
  // The processor's process() is the worklet frame the harness calls (the resampler has one too).
  const walk = (node: SamplingNode, where: 'outside' | 'quantum' | 'report', parentInWorklet: boolean): void => {
    const inWorklet = node.callFrame.url.endsWith(WORKLET_URL)
    const name = node.callFrame.functionName
    if (where === 'outside' && inWorklet && !parentInWorklet && name === 'process') where = 'quantum'
    if (where === 'quantum' && inWorklet && name === 'writePlayoutReport') where = 'report'
    if (where !== 'outside') sum[where] += node.selfSize
    for (const child of node.children) walk(child, where, inWorklet)
  }
  walk(profile.head, 'outside', false)
  return { quantum: sum.quantum / seconds, report: sum.report / seconds }
}
