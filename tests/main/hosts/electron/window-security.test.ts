import { describe, expect, it } from 'vitest'
import {
  isTrustedRendererUrl,
  rendererLocation,
  secureWebPreferences
} from '../../../../src/main/hosts/electron/window-security'

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, with no Node in any frame or worker', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.js')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false
    })
  })
})

describe('isTrustedRendererUrl', () => {
  const built = rendererLocation(undefined, '/app/out/renderer/index.html')
  const dev = rendererLocation('http://localhost:5173/', '/ignored')

  it.each([
    ['file:///app/out/renderer/index.html', built],
    ['file:///app/out/renderer/index.html#/settings', built],
    ['http://localhost:5173/', dev],
    ['http://localhost:5173/index.html?x=1', dev]
  ])('trusts our own page %s', (url, trusted) => {
    expect(isTrustedRendererUrl(url, trusted)).toBe(true)
  })

  it.each([
    ['file:///app/out/renderer/other.html', built],
    ['file:///tmp/evil/index.html', built],
    ['https://example.com/', built],
    ['http://localhost:5174/', dev],
    ['http://evil.localhost:5173/', dev],
    ['not a url', built],
    [undefined, built],
    ['', built]
  ])('refuses %s', (url, trusted) => {
    expect(isTrustedRendererUrl(url, trusted)).toBe(false)
  })
})
