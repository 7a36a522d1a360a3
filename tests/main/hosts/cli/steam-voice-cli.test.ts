import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { readWavFile } from '../../../../src/main/engine/audio/wav-file'
import { readCaptureFile } from '../../../../src/main/engine/steam-voice/capture-file'
import { alignedCorrelation, speechWav } from '../../../support/audio'
import { skipIfNoSteamCapture, steamCapturePath } from '../../../support/steam-voice-fixture'
import { REPO_ROOT, useTempDir } from '../../../support/temp-dir'

const run = promisify(execFile)
const NOT_A_WAV = path.join(REPO_ROOT, 'package.json')

let dir: string
useTempDir((made) => (dir = made), 'file')

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['src/main/hosts/cli/steam-voice-cli.ts', ...args],
      {
        cwd: REPO_ROOT
      }
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('npm run steam-voice', () => {
  it('decodes the real capture to a WAV at the asked rate and prints a summary', async (context) => {
    skipIfNoSteamCapture(context)
    const out = path.join(dir, 'music.wav')
    const result = await cli('decode', steamCapturePath(), '--rate', '44100', '--out', out)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      packets: 400,
      frames: 991,
      concealed: 37,
      badCrc: 0,
      corrupted: 0,
      seconds: expect.closeTo(20.56, 2)
    })
    const wav = await readWavFile(out)
    expect(wav.sampleRate).toBe(44100)
    expect(wav.samples.length / 44100).toBeCloseTo(20.56, 1)
  })

  it('encodes speech to packets that decode back to the same speech', async () => {
    const speech = speechWav(dir, 'One, two, three. Testing the Steam voice command line.')
    const bin = path.join(dir, 'speech.bin')
    const encoded = await cli('encode', speech, '--out', bin, '--steam-id', '76561198000000007')
    expect(encoded.code).toBe(0)
    const packets = readCaptureFile(await readFile(bin))
    expect(JSON.parse(encoded.stdout)).toMatchObject({ packets: packets.length, seconds: expect.any(Number) })
    expect(packets[0]![0]).toBe(Number(76561198000000007n & 0xffn))

    const back = path.join(dir, 'back.wav')
    const decoded = await cli('decode', bin, '--rate', '22050', '--out', back)
    expect(decoded.code).toBe(0)
    expect(JSON.parse(decoded.stdout)).toMatchObject({ badCrc: 0, corrupted: 0 })
    const original = await readWavFile(speech)
    const { correlation } = alignedCorrelation(original.samples, (await readWavFile(back)).samples, 2000)
    expect(correlation).toBeGreaterThanOrEqual(0.9)
  })

  it('counts and skips damaged packets in a capture', async (context) => {
    skipIfNoSteamCapture(context)
    const damaged = Buffer.from(await readFile(steamCapturePath()))
    damaged[4 + 20]! ^= 0xff // inside the first packet
    const file = path.join(dir, 'damaged.bin')
    await writeFile(file, damaged)
    const result = await cli('decode', file, '--out', path.join(dir, 'd.wav'))
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ packets: 400, badCrc: 1 })
  })

  it.each([
    ['a missing file', ['decode', path.join(REPO_ROOT, 'no-such-capture.bin'), '--out', 'x.wav'], /no such file/],
    ['a file that is not a WAV', ['encode', NOT_A_WAV, '--out', 'x.bin'], /not a WAV file/],
    ['a bad rate', ['decode', NOT_A_WAV, '--rate', '8000', '--out', 'x.wav'], /--rate must be/],
    [
      'a capture that is not one',
      ['decode', path.join(REPO_ROOT, 'package.json'), '--out', 'x.wav'],
      /claims \d+ bytes/
    ],
    ['no command', [], /expected a command/]
  ])('reports %s in one line with a non-zero exit', async (_what, args, message) => {
    const result = await cli(...args)
    expect(result.code).not.toBe(0)
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('npm warn'))
    ).toHaveLength(1)
    expect(result.stderr).toMatch(message)
  })
})
