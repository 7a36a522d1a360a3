import { isIPv6 } from 'node:net'

/** "host:port", IPv6 in brackets: how a UDP address is keyed and shown. */
export function addressKey(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`
}
