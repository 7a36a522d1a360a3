import type { Page } from '@playwright/test'
import path from 'node:path'

/**
 * Saves a screenshot of a state the docs show, when PARLEY_SCREENSHOTS names a folder
 * (`PARLEY_SCREENSHOTS=docs/screenshots npm run test:e2e`); otherwise does nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.PARLEY_SCREENSHOTS
  if (dir) await page.screenshot({ path: path.join(dir, name) })
}
