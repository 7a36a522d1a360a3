import { describe, expect, it } from 'vitest'
import { initWithoutCallbackLoop } from '../../../../src/main/engine/steam/steamworks-init'

describe('steamworks.js init without its callback loop', () => {
  it('stops the interval its init starts (as steamworks.js 0.4 does), and leaves setInterval as it was', async () => {
    let runs = 0
    // What steamworks.js's index.js does in init().
    const fake = {
      init: (appId: number) => {
        setInterval(() => runs++, 1)
        return { appId }
      }
    }
    const realSetInterval = globalThis.setInterval
    expect(initWithoutCallbackLoop(fake, 480)).toEqual({ appId: 480 })
    expect(globalThis.setInterval).toBe(realSetInterval)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(runs).toBe(0)
  })

  it('the real steamworks.js still starts its loop with setInterval in init (the assumption above)', async () => {
    const { readFile } = await import('node:fs/promises')
    const { createRequire } = await import('node:module')
    const source = await readFile(createRequire(import.meta.url).resolve('steamworks.js'), 'utf8')
    expect(source).toMatch(/runCallbacksInterval = setInterval\(runCallbacks, 1000 \/ 30\)/)
  })
})
