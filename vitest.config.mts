import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') }

// Node-side tests (engine, hosts, shell helpers) and renderer component tests, mirroring src/.
// Tests that play audio in real time (*.realtime.test.ts) are their own project: npm test runs
// them alone, one file at a time, so CPU-heavy tests running beside them cannot starve them.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/{main,shared,packaging}/**/*.test.ts'],
          exclude: ['**/*.realtime.test.ts']
        }
      },
      {
        resolve: { alias },
        test: { name: 'realtime', environment: 'node', include: ['tests/main/**/*.realtime.test.ts'] }
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/renderer/setup.ts']
        }
      }
    ]
  }
})
