/** The engine logs through this; each host opens one (log-file.ts) and decides where it goes. */
export interface Logger {
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
