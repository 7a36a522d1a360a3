import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import path from 'node:path'
import { openHostLog } from '../../engine/logging/log-file'
import { createEngine, type ParleyEngine } from '../../engine/parley-engine'
import { APP_COMMAND, readAppOptions } from './app-options'
import { attachIpcBridge } from './ipc-bridge'
import { createCapturePorts, createPlaybackPorts } from './audio-ports'
import { createTray } from './tray'
import { setLinuxAutostart, trayLook } from './desktop-life'
import type { VoiceStatus } from '../../../shared/contract'
import { DEFAULT_SETTINGS, type Settings, type SettingsState } from '../../../shared/settings-schema'
import { isTrustedRendererUrl, rendererLocation, secureWebPreferences } from './window-security'
import { keepWindowBounds, loadWindowBounds } from './window-state'
import { INVITE_SCHEME, joinCodeFromArgs, joinCodeFromLink } from '../../engine/room/invite-link'

// The Electron shell: windows, IPC and OS integration around the engine. Nothing here is logic
// that the browser host would need too.

const { dataDir: dataDirFlag, backend } = readAppOptions(process.argv)
if (dataDirFlag) app.setPath('userData', dataDirFlag)
// Logs go to the system's log folder (with --data-dir, beside the data), through the same logger
// as every other host; to the terminal too when run from source.
const hostLog = openHostLog({
  host: 'main',
  folder: dataDirFlag ? path.join(dataDirFlag, 'logs') : app.getPath('logs'),
  console: app.isPackaged ? false : 'info'
})
const { logger } = hostLog

if (process.argv.includes('--help')) {
  console.log(APP_COMMAND.usage)
  app.exit(0)
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void main()
}

async function main(): Promise<void> {
  let window: BrowserWindow | null = null
  // Invite links (parley://join/…) open the installed app. Run from source it registers nothing
  // (a checkout must not take the links from an installed copy); a link passed as an argument
  // still joins.
  if (app.isPackaged) app.setAsDefaultProtocolClient(INVITE_SCHEME)
  // A link can arrive before the engine runs (it started us); it is joined once it does.
  let joinInvite: (code: string) => void = (code) => (pendingInvite = code)
  let pendingInvite = joinCodeFromArgs(process.argv)
  // macOS hands links over as an event, not as arguments.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    const code = joinCodeFromLink(url)
    if (code) joinInvite(code)
  })
  const trustedUrl = rendererLocation(
    process.env.ELECTRON_RENDERER_URL,
    path.join(import.meta.dirname, '../renderer/index.html')
  )

  // A second launch brings the running one forward (from the tray, too).
  app.on('second-instance', (_event, argv) => {
    const code = joinCodeFromArgs(argv)
    if (code) joinInvite(code)
    if (window?.isMinimized()) window.restore()
    window?.show()
    window?.focus()
  })

  // No window of ours ever navigates away, opens another, or embeds a webview.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  await app.whenReady()

  // Only our own page may ask for anything, and only for the microphone.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
    callback(permission === 'media' && isTrustedRendererUrl(contents.getURL(), trustedUrl))
  })

  let engine: ParleyEngine
  const playbackPorts = createPlaybackPorts({
    addPlaybackListener: (listener) => engine.addPlaybackListener(listener),
    playoutReport: (bytes) => engine.playoutReport(bytes)
  })
  const openPlaybackPort = (): void => playbackPorts.open(window?.webContents ?? null)
  const capturePorts = createCapturePorts({ pushCapture: (bytes) => engine.pushCapture(bytes) })
  const openCapturePort = (): void => capturePorts.open(window?.webContents ?? null)
  try {
    engine = await createEngine({
      dataDir: app.getPath('userData'),
      appRoot: app.getAppPath(),
      host: 'electron',
      logger,
      log: hostLog,
      openLogFolder: async (folder) => (await shell.openPath(folder)) === '',
      backend,
      appMicrophone: true,
      playbackRoute: { via: 'message-port' },
      openPlaybackPort: () => openPlaybackPort(),
      captureRoute: { via: 'message-port' },
      openCapturePort: () => openCapturePort()
    })
  } catch (error) {
    logger.error('Parley could not start', error)
    app.exit(1)
    return
  }

  const detach = attachIpcBridge({
    ipcMain,
    engine,
    trustedContents: () => window?.webContents ?? null,
    trustedUrl,
    logger
  })

  const dataDir = app.getPath('userData')
  const saved = await loadWindowBounds(dataDir)
  const settingsNow = async (): Promise<Settings> => {
    const answer = await engine.dispatch('settings:get', undefined)
    return answer.ok ? (answer.value as SettingsState).settings : DEFAULT_SETTINGS
  }
  let desktop = await settingsNow()
  let quitting = false
  app.on('before-quit', () => (quitting = true))
  const applyLoginItem = (startOnLogin: boolean): void => {
    if (process.platform === 'linux') {
      const command = app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()]
      void setLinuxAutostart(app.getPath('appData'), startOnLogin, command).catch((error: Error) =>
        logger.warn(`start on login: ${error.message}`)
      )
    } else app.setLoginItemSettings({ openAtLogin: startOnLogin })
  }
  applyLoginItem(desktop.startOnLogin)
  let shownOnce = false
  const createWindow = (): void => {
    window = new BrowserWindow({
      ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : { width: 960, height: 680 }),
      minWidth: 640,
      minHeight: 480,
      title: 'Parley',
      show: false,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(path.join(import.meta.dirname, '../preload/index.cjs'))
    })
    if (saved?.maximized) window.maximize()
    keepWindowBounds(window, dataDir, logger)
    const startHidden = desktop.startMinimized && !shownOnce
    window.once('ready-to-show', () => {
      if (!startHidden) window?.show()
      shownOnce = true
    })
    // Closing keeps Parley running in the tray (unless the setting says otherwise, or we quit).
    window.on('close', (event) => {
      if (quitting || !desktop.closeToTray) return
      event.preventDefault()
      window?.hide()
    })
    window.on('closed', () => {
      playbackPorts.close()
      capturePorts.close()
      window = null
    })
    void window.loadURL(trustedUrl.href)
  }

  createWindow()
  const show = (): void => {
    if (!window) createWindow()
    else {
      window.show()
      window.focus()
    }
  }
  const tray = createTray(show, () => app.quit())
  const stopTray = engine.onEvent((event, payload) => {
    if (event === 'voice:status') tray.set(trayLook(payload as VoiceStatus))
    if (event === 'settings:changed') {
      const next = (payload as SettingsState).settings
      if (next.startOnLogin !== desktop.startOnLogin) applyLoginItem(next.startOnLogin)
      desktop = next
    }
  })
  joinInvite = (code) => {
    show()
    logger.info(`joining ${code} from an invite link`)
    void engine.dispatch('room:join', { code }).then((answer) => {
      if (!answer.ok) logger.warn(`the invite to ${code} could not be joined: ${answer.error.message}`)
    })
  }
  if (pendingInvite) joinInvite(pendingInvite)
  logger.info(`Parley started; logs in ${hostLog.file}`)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    stopTray()
    tray.destroy()
    playbackPorts.close()
    detach()
    void engine.close()
  })
}
