import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from './src/shared/content-security-policy'

const shared = { '@shared': resolve(import.meta.dirname, 'src/shared') }

/** One CSP for every build: inserted into index.html from src/shared (the browser host sends it too). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'parley-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        const policy = context.server ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY
        return html.replace(
          '<meta charset="UTF-8" />',
          `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`
        )
      }
    }
  }
}

export default defineConfig({
  main: {
    resolve: { alias: shared },
    build: {
      rollupOptions: {
        input: {
          // The Electron shell, and the plain-Node browser host: two hosts, one engine.
          index: resolve(import.meta.dirname, 'src/main/hosts/electron/index.ts'),
          serve: resolve(import.meta.dirname, 'src/main/hosts/browser/serve.ts'),
          // The global key hook runs in its own process (libuiohook aborts when it cannot start).
          'global-keys': resolve(import.meta.dirname, 'src/main/engine/input/global-keys.child.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias: shared },
    build: {
      // Sandboxed preloads must be CommonJS, whatever the package's module type.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    resolve: { alias: shared },
    plugins: [react(), contentSecurityPolicy()],
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } }
    }
  }
})
