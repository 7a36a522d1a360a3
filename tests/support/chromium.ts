import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/**
 * Which Chromium the end-to-end tests drive: Playwright's own when installed (undefined lets
 * Playwright pick it), else the system's. With neither, fail with what to do about it.
 */
export function chromiumExecutable(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined
  } catch {
    /* Playwright has no browser of its own here */
  }
  const system = SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate))
  if (system) return system
  throw new Error(
    'No Chromium for the end-to-end tests. Install one: "npx playwright install chromium" (needs internet) ' +
      'or "apt-get install chromium" (Debian/Ubuntu).'
  )
}

/** Flags that keep Chromium from phoning home on a machine with no internet. */
export const QUIET_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
]
