import path from 'node:path'
import { createEngine, type EngineOptions, type ParleyEngine } from '../../src/main/engine/parley-engine'
import { silentLogger } from '../../src/main/engine/logging/logger'
import { REPO_ROOT } from './temp-dir'

/**
 * An engine as the browser host runs it, with its data in `dir`/data (or `options.dataDir`):
 * LAN mode on loopback, the global key hook off (tests share one display), audio over WebSocket
 * routes. `options` change any of it.
 */
export function testEngine(dir: string, options: Partial<EngineOptions> = {}): Promise<ParleyEngine> {
  return createEngine({
    dataDir: path.join(dir, 'data'),
    appRoot: REPO_ROOT,
    host: 'browser',
    logger: silentLogger,
    listen: { host: '127.0.0.1', port: 0 },
    globalKeys: false,
    playbackRoute: { via: 'websocket', path: '/playback' },
    captureRoute: { via: 'websocket', path: '/capture' },
    ...options
  })
}
