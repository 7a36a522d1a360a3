/// <reference lib="dom" />
// The playback worklet's process() cost in Chromium, with 1, 8 and 32 speakers, as a share of
// the 128-frame render quantum's budget. The built worklet (out/renderer) runs in a page under
// a stand-in for AudioWorkletGlobalScope, so each process() call can be timed on its own (the
// real audio thread exposes no clock); the page is cross-origin isolated for 5 µs timers.
import { chromium } from '@playwright/test'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { encodePlaybackFrame, PLAYBACK_FRAME_AUDIO } from '../src/shared/playback-frame'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from '../tests/support/chromium'
import { noise } from '../tests/support/audio'

const ASSETS = path.resolve(import.meta.dirname, '..', 'out', 'renderer', 'assets')
const workletFile = readdirSync(ASSETS).find((name) => /^playback\.worklet-.*\.js$/.test(name))
if (!workletFile) throw new Error('build first: npm run build')
const workletSource = readFileSync(path.join(ASSETS, workletFile), 'utf8')

const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }

interface Result {
  speakers: number
  sampleRate: number
  quanta: number
  meanUs: number
  p99Us: number
  budgetUs: number
  isolated: boolean
}

async function main(): Promise<void> {
  // A real local server: the isolation headers only count on a real response.
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', ...ISOLATED })
    response.end('<!doctype html><title>bench</title>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: QUIET_CHROMIUM_ARGS })
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  for (const sampleRate of [48000, 24000]) {
    for (const speakers of [1, 8, 32]) {
      // 20 ms frames of -20 dBFS noise, different per speaker, as main sends them.
      const frameSamples = (sampleRate * 20) / 1000
      const frames = Array.from({ length: speakers }, (_, i) =>
        Array.from(
          new Uint8Array(
            encodePlaybackFrame(
              PLAYBACK_FRAME_AUDIO,
              76561197960265728n + BigInt(i),
              sampleRate,
              40,
              noise(frameSamples, -20, i + 1)
            )
          )
        )
      )
      const result = await page.evaluate(runInPage, { frames, sampleRate, frameSamples, source: workletSource })
      console.log(
        JSON.stringify({
          figure: 'worklet-process',
          ...result,
          percentOfBudget: +((result.meanUs / result.budgetUs) * 100).toFixed(2)
        })
      )
    }
  }
  await browser.close()
  server.close()
}

/** Runs in the page: the worklet under a stand-in scope, fed 20 ms frames as it plays. */
async function runInPage(input: {
  frames: number[][]
  sampleRate: number
  frameSamples: number
  source: string
}): Promise<Result> {
  const scope = globalThis as unknown as Record<string, unknown>
  scope.sampleRate = input.sampleRate
  scope.currentTime = 0
  let Processor:
    | (new () => {
        port: { onmessage: ((event: { data: unknown }) => void) | null }
        process(i: unknown[], o: Float32Array[][]): boolean
      })
    | null = null
  scope.AudioWorkletProcessor = class {
    port = { onmessage: null as ((event: { data: unknown }) => void) | null, postMessage() {} }
  }
  scope.registerProcessor = (_name: string, processor: typeof Processor) => (Processor = processor)
  new Function(input.source)()
  const processor = new Processor!()
  const stream: { onmessage: ((event: { data: unknown }) => void) | null } = { onmessage: null }
  processor.port.onmessage!({ data: { type: 'stream', port: stream } })
  const buffers = input.frames.map((bytes) => Uint8Array.from(bytes).buffer)
  const outputs = [[new Float32Array(128), new Float32Array(128)]]
  const quanta = Math.round((input.sampleRate * 10) / 128) // ten seconds of audio
  const times = new Float64Array(quanta)
  let fed = 0
  for (let q = 0; q < quanta; q++) {
    scope.currentTime = (q * 128) / input.sampleRate
    // Keep 40 ms ahead, as the network does.
    while (fed < (q + 1) * 128 + input.frameSamples * 2) {
      for (const buffer of buffers) stream.onmessage!({ data: buffer })
      fed += input.frameSamples
    }
    const start = performance.now()
    processor.process([], outputs)
    times[q] = performance.now() - start
  }
  // The first second warms the JIT; measure the rest.
  const measured = Array.from(times.subarray(Math.round(quanta / 10))).sort((a, b) => a - b)
  const mean = measured.reduce((a, b) => a + b, 0) / measured.length
  return {
    speakers: input.frames.length,
    sampleRate: input.sampleRate,
    quanta: measured.length,
    meanUs: +(mean * 1000).toFixed(2),
    p99Us: +(measured[Math.floor(measured.length * 0.99)]! * 1000).toFixed(1),
    budgetUs: +((128 / input.sampleRate) * 1e6).toFixed(1),
    isolated: crossOriginIsolated
  }
}

await main()
