import { Session } from 'node:inspector/promises'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { FrameRingReader, FrameRingWriter, frameRingBuffer, isFrameRingBuffer } from '../../src/shared/frame-ring'

/** A frame whose bytes say which it is: byte i of frame n is (n * 7 + i) & 0xff. */
function frameOf(n: number, length: number): Uint8Array {
  const frame = new Uint8Array(length)
  for (let i = 0; i < length; i++) frame[i] = (n * 7 + i) & 0xff
  return frame
}

function isFrame(bytes: Uint8Array, length: number, n: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[i] !== ((n * 7 + i) & 0xff)) return false
  return true
}

describe('the frame ring', () => {
  it('gives back every frame whole and in order as the indices wrap, many times over', () => {
    const buffer = frameRingBuffer(1000)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    const into = new Uint8Array(400)
    let written = 0
    let read = 0
    // Lengths that do not divide the ring: the frames and their length bytes straddle its end.
    for (let round = 0; round < 500; round++) {
      for (let k = 0; k < 3; k++) {
        const length = 37 + ((written * 53) % 300)
        expect(writer.write(frameOf(written, length))).toBe(true)
        written++
      }
      for (let k = 0; k < 3; k++) {
        const expected = 37 + ((read * 53) % 300)
        expect(reader.read(into)).toBe(expected)
        expect(isFrame(into, expected, read)).toBe(true)
        read++
      }
    }
    expect(read).toBe(1500)
    expect(reader.read(into)).toBe(0)
    expect(writer.dropped).toBe(0)
  })

  it('reads nothing when empty, and carries on as before after an underrun', () => {
    const buffer = frameRingBuffer(64)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    const into = new Uint8Array(64)
    expect(reader.read(into)).toBe(0)
    expect(reader.read(into)).toBe(0)
    writer.write(frameOf(1, 10))
    expect(reader.read(into)).toBe(10)
    expect(isFrame(into, 10, 1)).toBe(true)
    expect(reader.read(into)).toBe(0)
    expect(reader.queuedBytes).toBe(0)
    writer.write(frameOf(2, 20))
    expect(reader.read(into)).toBe(20)
    expect(isFrame(into, 20, 2)).toBe(true)
  })

  it('refuses a frame that does not fit whole, counts it, and loses nothing already queued', () => {
    const buffer = frameRingBuffer(100)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    expect(writer.write(frameOf(0, 60))).toBe(true) // 62 of 100
    expect(writer.write(frameOf(1, 40))).toBe(false) // would need 42: one byte always stays free
    expect(writer.write(frameOf(2, 35))).toBe(true) // 99
    expect(writer.write(frameOf(3, 1))).toBe(false)
    expect(writer.dropped).toBe(2)
    expect(writer.write(new Uint8Array(0))).toBe(false)
    const into = new Uint8Array(100)
    expect(reader.read(into)).toBe(60)
    expect(isFrame(into, 60, 0)).toBe(true)
    expect(reader.read(into)).toBe(35)
    expect(isFrame(into, 35, 2)).toBe(true)
    expect(reader.read(into)).toBe(0)
  })

  it('skips a frame longer than the reader holds, and reads the next', () => {
    const buffer = frameRingBuffer(200)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    writer.write(frameOf(0, 50))
    writer.write(frameOf(1, 10))
    const into = new Uint8Array(20)
    expect(reader.read(into)).toBe(-1)
    expect(reader.read(into)).toBe(10)
    expect(isFrame(into, 10, 1)).toBe(true)
  })

  it('says when the reader rests, once, to the writer', () => {
    const buffer = frameRingBuffer(64)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    expect(writer.takeResting()).toBe(false)
    reader.rest()
    expect(writer.takeResting()).toBe(true)
    expect(writer.takeResting()).toBe(false)
  })

  it('counts the frames written, for a third thread to see whether any came', () => {
    const buffer = frameRingBuffer(64)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    expect(reader.framesWritten).toBe(0)
    writer.write(frameOf(1, 10))
    writer.write(frameOf(2, 100)) // refused: not counted
    reader.read(new Uint8Array(64))
    expect(reader.framesWritten).toBe(1)
  })

  it('knows a ring buffer from anything else another thread could send', () => {
    expect(isFrameRingBuffer(frameRingBuffer(64))).toBe(true)
    for (const value of [new ArrayBuffer(100), new SharedArrayBuffer(8), null, 'ring', { byteLength: 100 }]) {
      expect(isFrameRingBuffer(value)).toBe(false)
    }
  })

  it('carries 20,000 frames from a writer thread to a reader thread, in order and intact', async () => {
    const buffer = frameRingBuffer(4096)
    const frames = 20_000
    // The writer runs in its own thread, as the page's socket worker does, with the ring's own
    // code (compiled to CommonJS for the worker, which cannot load TypeScript).
    const worker = new Worker(
      `
      const { workerData, parentPort } = require('node:worker_threads')
      const { buffer, frames, source } = workerData
      const module = { exports: {} }
      new Function('module', 'exports', source)(module, module.exports)
      const writer = new module.exports.FrameRingWriter(buffer)
      let n = 0
      let spins = 0
      while (n < frames) {
        const length = 1 + ((n * 131) % 1900)
        const frame = new Uint8Array(length)
        for (let i = 0; i < length; i++) frame[i] = (n * 7 + i) & 0xff
        if (writer.freeBytes < length + 2) spins++
        else if (writer.write(frame)) n++
      }
      parentPort.postMessage({ spins })
      `,
      { eval: true, workerData: { buffer, frames, source: await ringSourceAsCommonJs() } }
    )
    const reader = new FrameRingReader(buffer)
    const into = new Uint8Array(2048)
    let n = 0
    let intact = 0
    const started = Date.now()
    while (n < frames && Date.now() - started < 30_000) {
      const length = reader.read(into)
      if (length === 0) {
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      if (length === 1 + ((n * 131) % 1900) && isFrame(into, length, n)) intact++
      n++
    }
    const done = await new Promise<{ spins: number }>((resolve) => worker.once('message', resolve))
    await worker.terminate()
    expect(n).toBe(frames)
    expect(intact).toBe(frames)
    // The ring was full at times (the writer had to wait): the test crossed both ends of it.
    expect(done.spins).toBeGreaterThan(0)
  })

  it('reads without allocating', async () => {
    const buffer = frameRingBuffer(8192)
    const writer = new FrameRingWriter(buffer)
    const reader = new FrameRingReader(buffer)
    const frames = Array.from({ length: 7 }, (_, n) => frameOf(n, 1000 + n * 131))
    const into = new Uint8Array(2048)
    const lap = (count: number): number => {
      let total = 0
      for (let i = 0; i < count; i++) {
        writer.write(frames[i % frames.length]!)
        total += reader.read(into)
      }
      return total
    }
    lap(20_000) // warm: the JIT has done its work
    const session = new Session()
    session.connect()
    await session.post('HeapProfiler.enable')
    // Garbage counts too: objects collected before sampling stops are kept in the profile.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 32,
      includeObjectsCollectedByMinorGC: true,
      includeObjectsCollectedByMajorGC: true
    })
    const count = 20_000
    lap(count)
    const { profile } = await session.post('HeapProfiler.stopSampling')
    session.disconnect()
    // What read() allocates, itself or in what it calls (a subarray() shows as its own frame).
    let inRead = 0
    const walk = (node: typeof profile.head, under: boolean): void => {
      const here = under || (node.callFrame.url.includes('frame-ring') && node.callFrame.functionName === 'read')
      if (here) inRead += node.selfSize
      for (const child of node.children) walk(child, here)
    }
    walk(profile.head, false)
    expect(inRead / count).toBe(0)
  })
})

/** The ring module as CommonJS source, for a worker thread that cannot load TypeScript. */
async function ringSourceAsCommonJs(): Promise<string> {
  const { transform } = await import('esbuild')
  const { readFile } = await import('node:fs/promises')
  const source = await readFile(new URL('../../src/shared/frame-ring.ts', import.meta.url), 'utf8')
  return (await transform(source, { loader: 'ts', format: 'cjs' })).code
}
