import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LOG_MAX_BYTES, openHostLog } from '../../../../src/main/engine/logging/log-file'
import { makeTempDir } from '../../../support/temp-dir'

let cleanup: (() => Promise<void>) | null = null
afterEach(async () => {
  vi.restoreAllMocks()
  await cleanup?.()
})

describe('a host’s log', () => {
  it('is a timestamped file that keeps one older generation when it passes 1 MB', async () => {
    const temp = await makeTempDir()
    cleanup = temp.cleanup
    const log = openHostLog({ host: 'browser', folder: temp.dir, console: false })
    const line = 'x'.repeat(200)
    for (let i = 0; i * 250 < LOG_MAX_BYTES * 1.5; i++) log.logger.info(`line ${i} ${line}`)
    const current = path.join(temp.dir, 'browser.log')
    const old = path.join(temp.dir, 'browser.old.log')
    expect(existsSync(old)).toBe(true)
    expect((await stat(current)).size).toBeLessThanOrEqual(LOG_MAX_BYTES)
    expect((await stat(old)).size).toBeGreaterThan(LOG_MAX_BYTES * 0.9)
    expect(await readFile(current, 'utf8')).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\]\s+line \d+ x+$/m
    )
  })

  it('takes secrets out of the file, the terminal and the recent problems alike', async () => {
    const temp = await makeTempDir()
    cleanup = temp.cleanup
    const printed: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line))
    const log = openHostLog({ host: 'peer', folder: temp.dir, console: 'info', consoleToStderr: true })
    const ticket = Buffer.from('a ticket that must not be seen by anyone reading logs').toString('hex')
    log.logger.warn(`auth failed for ticket ${ticket}`, new Error(`bad ${ticket}`))
    const file = await readFile(path.join(temp.dir, 'peer.log'), 'utf8')
    for (const text of [file, printed.join('\n'), log.recentProblems().join('\n')]) {
      expect(text).toContain('auth failed for ticket [redacted]')
      expect(text).not.toContain(ticket)
    }
  })
})
