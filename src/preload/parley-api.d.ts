import type { ParleyApi } from '../shared/contract'

declare global {
  interface Window {
    /** Present in Electron (set by the preload); absent when the page is served by the browser host. */
    parley?: ParleyApi
  }
}

export {}
