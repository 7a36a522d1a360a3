import { readFile } from 'node:fs/promises'

import path from 'node:path'
import { describe, expect, it } from 'vitest'

import { readWavFile, writeWavFile } from '../../../../src/main/engine/audio/wav-file'

import { findOnsets, makeClickTrack, matchLatencies, percentile } from '../../../support/clicks'

import { speechWav } from '../../../support/audio'
import { peerProcess as peer, startCall, startPeer } from '../../../support/peer-process'

import { describeVerdict, judgeSpeech, KEEPS_THE_CODECS } from '../../../support/speech-judge'

import { REPO_ROOT, useTempDir } from '../../../support/temp-dir'

let dir: string
useTempDir((made) => (dir = made), 'file')

describe('npm run peer', () => {
  it('two processes on loopback talk: B records A, both write stats, SIGTERM ends B cleanly', async () => {
    const speech = speechWav(
      dir,
      'Two peers started from the command line, talking on loopback. ' +
        'The second one records everything the first one says, and writes its statistics on exit.'
    )
    const call = await startCall(dir, 'two', { mic: speech, talk: '2-60', duration: 11 })
    const exits = await call.finish()
    expect([exits.a.code, exits.b.code]).toEqual([0, 0]) // SIGTERM ends B cleanly

    const bStats = JSON.parse(await readFile(call.files.bStats, 'utf8'))
    expect(bStats).toMatchObject({
      received: expect.any(Number),
      dropped: { malformed: 0, unauthenticated: 0, late: expect.any(Number), duplicate: expect.any(Number) },
      concealed: expect.any(Number),
      underruns: expect.any(Number),
      latencyMs: { p50: expect.any(Number), p95: expect.any(Number) }
    })
    expect(bStats.received).toBeGreaterThan(50)
    const aStats = JSON.parse(await readFile(call.files.aStats, 'utf8'))
    expect(aStats.sent).toBeGreaterThan(50)
    expect(aStats.members.map((m: { name: string }) => m.name)).toEqual(['B'])

    const heard = await readWavFile(call.files.bRecording)
    const original = await readWavFile(speech)
    expect(heard.sampleRate).toBe(22050)
    // A talks from 2 s (after the handshake); its microphone file has played since start.
    const spoken = { samples: original.samples, from: Math.round(2.15 * 22050) }
    const verdict = await judgeSpeech(spoken, heard.samples, 22050)
    console.log(describeVerdict("npm run peer, B's recording of A", verdict))
    expect(verdict.ratio).toBeGreaterThanOrEqual(KEEPS_THE_CODECS)
    expect(aStats.members[0].auth).toBe('verified') // A verified B (B's list is empty: A has left)
  }, 30000)

  it('--stats gives the clock of the microphone and the recording, so mouth-to-ear can be measured from outside', async () => {
    // A click track into A; every click found again in B's recording, on the machine's monotonic clock.
    const track = makeClickTrack(48000, 9, 250, 9)
    const clicksFile = path.join(dir, 'clicks.wav')
    await writeWavFile(clicksFile, { sampleRate: 48000, samples: track.samples })
    const before = Number(process.hrtime.bigint()) / 1e6
    const b = startPeer({ name: 'B', record: path.join(dir, 'clicks-b.wav'), stats: path.join(dir, 'clicks-b.json') })
    const a = startPeer({
      name: 'A',
      join: await b.port,
      mic: clicksFile,
      talk: '2-8',
      duration: 9,
      stats: path.join(dir, 'clicks-a.json')
    })
    expect((await a.exited).code).toBe(0)
    b.child.kill('SIGTERM')
    expect((await b.exited).code).toBe(0)
    const after = Number(process.hrtime.bigint()) / 1e6
    const aStats = JSON.parse(await readFile(path.join(dir, 'clicks-a.json'), 'utf8'))
    const bStats = JSON.parse(await readFile(path.join(dir, 'clicks-b.json'), 'utf8'))
    for (const at of [aStats.clock.micFirstSampleMs, bStats.clock.recordFirstSampleMs]) {
      expect(at).toBeGreaterThan(before)
      expect(at).toBeLessThan(after)
    }
    expect(bStats.clock.micFirstSampleMs).toBeNull() // B had no microphone
    const heard = await readWavFile(path.join(dir, 'clicks-b.wav'))
    const clicks = track.clicks
      .map((c) => aStats.clock.micFirstSampleMs + (c * 1000) / 48000)
      .filter((t) => t > aStats.clock.micFirstSampleMs + 3000 && t < aStats.clock.micFirstSampleMs + 7800)
    const onsets = findOnsets(heard.samples, heard.sampleRate).map(
      (o) => bStats.clock.recordFirstSampleMs + (o * 1000) / heard.sampleRate
    )
    const { latencies, missed } = matchLatencies(clicks, onsets)
    expect(missed).toBe(0)
    // At least the 20 ms frame and the codec; on loopback, well under 100 ms.
    const measured = percentile(latencies, 0.5)!
    expect(measured).toBeGreaterThan(26)
    expect(measured).toBeLessThan(100)
    // What B reports as its mouth-to-ear is the same quantity, measured from inside.
    expect(Math.abs(bStats.latencyMs.p50 - measured)).toBeLessThan(15)
  }, 30000)

  it.each([
    [['--listen', '127.0.0.1:0'], /--name is required/],
    [['--name', 'X', '--listen', 'nowhere'], /--listen wants HOST:PORT/],
    [['--name', 'X', '--listen', '127.0.0.1:0', '--talk', 'sometimes'], /--talk wants/],
    [['--name', 'X', '--listen', '127.0.0.1:0', '--sample-rate', '12345'], /--sample-rate must be/],
    [['--name', 'X', '--listen', '127.0.0.1:0', '--mic', path.join(REPO_ROOT, 'no-such-mic.wav')], /no such file/],
    [['--name', 'X', '--listen', '127.0.0.1:0', '--bogus'], /unknown option --bogus/]
  ])('refuses %j in one line with exit code 2', async (args, message) => {
    const { code, stderr } = await peer(...args).exited
    expect(code).toBe(2)
    const lines = stderr
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('npm warn'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(message)
  })
})
