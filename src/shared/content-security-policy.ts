/**
 * The renderer's Content-Security-Policy: only our own scripts, styles and connections (the
 * browser host's WebSocket is same-origin). Put in index.html at build time and sent as a
 * header by the browser host. 'wasm-unsafe-eval' lets our own WebAssembly (RNNoise) compile;
 * it allows no eval of JavaScript.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

/** `electron-vite dev` needs Vite's inline React-refresh preamble and its HMR socket. */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'"
)
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
