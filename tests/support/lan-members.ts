import { Authentication, LanAuthBackend } from '../../src/main/engine/auth/authentication'
import { generateIdentity, type LanIdentity } from '../../src/main/engine/auth/lan-identity'
import { LanTransport, type LanTransportOptions } from '../../src/main/engine/lan/lan-transport'
import { silentLogger } from '../../src/main/engine/logging/logger'
import { HeadlessPeer, type HeadlessPeerOptions } from '../../src/main/hosts/cli/headless-peer'

/** A LAN room's transport on loopback with a fresh identity of its own (or `identity`). */
export function openLanTransport(
  name: string,
  options: Partial<LanTransportOptions> & { identity?: LanIdentity } = {}
): Promise<LanTransport> {
  const { identity, ...rest } = options
  return LanTransport.open({
    auth: new Authentication(new LanAuthBackend(identity ?? generateIdentity())),
    name,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    ...rest
  })
}

/**
 * A headless peer on loopback that records what it hears at `sampleRate` and otherwise neither
 * joins nor talks; `options` change that. Up to eight share one test process, so each sound card
 * gets 16 ms of room for its timers.
 */
export function startRecordingPeer(
  name: string,
  sampleRate: number,
  options: Partial<HeadlessPeerOptions> = {}
): Promise<HeadlessPeer> {
  return HeadlessPeer.start({
    name,
    listen: { host: '127.0.0.1', port: 0 },
    join: [],
    mic: null,
    talk: { kind: 'never' },
    record: true,
    sampleRate: sampleRate as HeadlessPeerOptions['sampleRate'],
    logger: silentLogger,
    outputBlocksAhead: 6,
    ...options
  })
}
