import type { WebPreferences } from 'electron'
import { pathToFileURL } from 'node:url'

/** The only web preferences a Parley window is created with. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false
  }
}

/**
 * Where our renderer is loaded from: the dev server in `electron-vite dev`, else the built file.
 * Returned as the exact URL a trusted frame must have (minus hash and query).
 */
export function rendererLocation(devServerUrl: string | undefined, builtIndexHtml: string): URL {
  return devServerUrl ? new URL(devServerUrl) : pathToFileURL(builtIndexHtml)
}

/** True when a frame's URL is our renderer's page: same origin and, for file:, the same file. */
export function isTrustedRendererUrl(frameUrl: string | undefined, trusted: URL): boolean {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  if (url.protocol !== trusted.protocol) return false
  if (trusted.protocol === 'file:') return url.pathname === trusted.pathname
  return url.origin === trusted.origin
}
