import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') }

// Node-side tests (engine, hosts, shell helpers) and renderer component tests, mirroring src/.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'node', environment: 'node', include: ['tests/{main,shared}/**/*.test.ts'] }
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: { name: 'renderer', environment: 'jsdom', include: ['tests/renderer/**/*.test.{ts,tsx}'] }
      }
    ]
  }
})
