import { chromium, expect, test } from '@playwright/test'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { QUIET_CHROMIUM_ARGS } from '../support/chromium'
import { freeUdpPort } from '../support/free-port'
import { startHostProcess } from '../support/host-process'
import { installPlaybackTap, startTap, stopTap } from '../support/playback-tap'
import { findInLoopedSource } from '../support/audio'
import { readWavFile } from '../../src/main/engine/voice/audio/wav-file'

test('takes', async () => {
  test.setTimeout(120000)
  const dir = '/tmp/dbg'
  execFileSync('rm', ['-rf', dir])
  execFileSync('mkdir', ['-p', dir])
  execFileSync('sox', ['/tmp/dump/mic.wav', '-r', '24000', '/tmp/dbg/ref.wav'])
  const ref = (await readWavFile('/tmp/dbg/ref.wav')).samples
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...QUIET_CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--use-file-for-fake-audio-capture=/tmp/dump/mic.wav',
      '--autoplay-policy=no-user-gesture-required'
    ]
  })
  const port = await freeUdpPort()
  const A = await startHostProcess(path.join(dir, 'a'), ['--name', 'Ada', '--listen', `127.0.0.1:${port}`])
  const B = await startHostProcess(path.join(dir, 'b'), ['--name', 'Bea', '--join', `127.0.0.1:${port}`])
  const a = await (await browser.newContext()).newPage()
  await a.goto(A.url)
  const b = await (await browser.newContext()).newPage()
  await b.addInitScript(installPlaybackTap)
  await b.goto(B.url)
  await expect(b.locator('li[data-auth="verified"]')).toHaveCount(1)
  await a.locator('body').click({ position: { x: 5, y: 5 } })
  for (let take = 0; take < 3; take++) {
    await b.evaluate(startTap)
    await a.keyboard.down('Space')
    await a.waitForTimeout(3000)
    await a.keyboard.up('Space')
    await a.waitForTimeout(800)
    const heard = await b.evaluate(stopTap)
    console.log('take', take, JSON.stringify(findInLoopedSource(Int16Array.from(heard.samples), ref, 24000)))
    console.log(
      'A',
      A.output()
        .split('\n')
        .filter((l) => l.includes('TRACE'))
        .slice(-12)
        .join(' | ')
    )
    console.log(
      'B',
      B.output()
        .split('\n')
        .filter((l) => l.includes('TRACE'))
        .slice(-12)
        .join(' | ')
    )
  }
  await browser.close()
  await A.stop()
  await B.stop()
})
