import path from 'node:path'
import { openHostLog } from '../../engine/logging/log-file'
import { createEngine } from '../../engine/parley-engine'
import { CAPTURE_WEBSOCKET_PATH, PLAYBACK_WEBSOCKET_PATH } from '../../../shared/websocket-envelope'
import { startBrowserHost } from './browser-host'
import { runCommand, UsageError } from '../cli/command-line'
import { parseServeOptions, SERVE_COMMAND } from './serve-options'

// `npm run serve`: the engine in plain Node, with the UI in any browser. Built to out/main/serve.js.

const APP_ROOT = path.resolve(import.meta.dirname, '../..')

async function main(): Promise<void> {
  const options = parseServeOptions(process.argv.slice(2))
  if (!options) {
    console.log(SERVE_COMMAND.usage)
    return
  }

  // The terminal shows it as it happens; DATA_DIR/logs/browser.log keeps it (Diagnostics).
  const log = openHostLog({ host: 'browser', folder: path.join(options.dataDir, 'logs'), console: 'info' })
  const { logger } = log
  let engine
  try {
    engine = await createEngine({
      dataDir: options.dataDir,
      appRoot: APP_ROOT,
      host: 'browser',
      logger,
      log,
      backend: options.backend,
      name: options.name,
      listen: options.listen,
      join: options.join,
      globalKeys: options.globalKeys,
      appMicrophone: options.appMicrophone,
      playbackRoute: { via: 'websocket', path: PLAYBACK_WEBSOCKET_PATH },
      captureRoute: { via: 'websocket', path: CAPTURE_WEBSOCKET_PATH }
    })
  } catch (error) {
    console.error(`parley serve: ${(error as Error).message}`)
    process.exit(1)
  }
  let host
  try {
    host = await startBrowserHost({
      engine,
      host: options.host,
      port: options.port,
      rendererDir: path.join(APP_ROOT, 'out', 'renderer'),
      logger
    })
  } catch (error) {
    console.error(`parley serve: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`)
    process.exit(1)
  }
  // Tests and scripts read this line to find the port when --http asked for 0.
  console.log(`Parley is serving ${host.url} (data in ${options.dataDir})`)

  let closing = false
  const shutdown = (): void => {
    if (closing) return
    closing = true
    void host
      .close()
      .then(() => engine.close())
      .then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

runCommand({ ...SERVE_COMMAND, knownErrors: [UsageError] }, main)
