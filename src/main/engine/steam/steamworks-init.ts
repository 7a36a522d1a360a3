/**
 * steamworks.js's init, without its callback loop. Its init (0.4) starts a 30 Hz setInterval
 * that runs Steam's manual dispatch and frees every callback, which would take
 * ValidateAuthTicketResponse (143) from us. The intervals made during init are caught as they
 * are made and stopped; SteamCallbackDispatch runs the one loop.
 */
export function initWithoutCallbackLoop<T>(steamworks: { init(appId: number): T }, appId: number): T {
  const realSetInterval = globalThis.setInterval
  const loops: Array<ReturnType<typeof setInterval>> = []
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const handle = realSetInterval(...args)
    loops.push(handle)
    return handle
  }) as typeof setInterval
  try {
    return steamworks.init(appId)
  } finally {
    globalThis.setInterval = realSetInterval
    for (const handle of loops) clearInterval(handle)
  }
}
