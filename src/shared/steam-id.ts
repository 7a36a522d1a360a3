// Steam IDs cross the wire and the playback frames as two 32-bit halves: numbers, never bigints, on hot paths.
/** A SteamID64 as the two 32-bit halves the packet stores. */
export function splitSteamId(steamId: bigint): { low: number; high: number } {
  return { low: Number(steamId & 0xffffffffn), high: Number((steamId >> 32n) & 0xffffffffn) }
}

export function joinSteamId(low: number, high: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)
}
