/** The engine logs through this so each host decides where logs go (console, electron-log). */
export interface Logger {
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

export const consoleLogger: Logger = {
  info: (message, ...details) => console.info(`[parley] ${message}`, ...details),
  warn: (message, ...details) => console.warn(`[parley] ${message}`, ...details),
  error: (message, ...details) => console.error(`[parley] ${message}`, ...details)
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
