import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { redactSecrets } from '../../../../src/main/engine/logging/redact-secrets'

describe('redactSecrets', () => {
  it('takes out tickets and keys in hex or base64, wherever they are in a message', () => {
    // Fixed bytes that look random, so the test reads the same every run.
    const bytes = (seed: string, length: number) =>
      Buffer.concat(
        Array.from({ length: Math.ceil(length / 64) }, (_, i) => createHash('sha512').update(`${seed}${i}`).digest())
      ).subarray(0, length)
    for (let i = 0; i < 50; i++) {
      const ticket = bytes(`ticket${i}`, 240)
      const key = bytes(`key${i}`, 32)
      for (const secret of [
        ticket.toString('hex'),
        ticket.toString('base64'),
        key.toString('hex'),
        key.toString('base64'),
        key.toString('base64url')
      ]) {
        const out = redactSecrets(`auth from 76561198000000002 with "${secret}", then ok`)
        expect(out).not.toContain(secret)
        expect(out).toBe('auth from 76561198000000002 with "[redacted]", then ok')
      }
    }
  })

  it('leaves what Diagnostics needs: ids, addresses, paths, versions, words', () => {
    for (const text of [
      'Bea (76561198000000002) joined from 192.168.1.20:47810',
      'logs in /home/ada/.config/parley/logs/browser.log',
      'logs in /Users/adalovelace/Library/Logs/Parley/browser.log',
      'pulse at /run/user/1000/pulse/native, chunks in out/main/chunks/parley-engine-CFl2BZvE.js',
      "Failed to load module '/root/.steam/sdk64/steamclient.so'",
      'Parley 0.1.0, Electron 45.4.1, Chromium 156.0.8078.73, node v22.23.5',
      'could not prove who they are (invalid ticket)',
      'lobby 109775241021923456 joined'
    ]) {
      expect(redactSecrets(text)).toBe(text)
    }
  })
})
