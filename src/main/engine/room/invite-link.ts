import { parseJoinAddress } from '../lan/lan-room-link'

/** The scheme the packaged app registers: parley://join/192.168.1.20:47810, parley://join/<lobby id>. */
export const INVITE_SCHEME = 'parley'
const LOBBY_ID = /^\d{1,20}$/
/** Longer than any join code: a link is a command line argument, and strangers write them. */
const MAX_LINK_LENGTH = 300

/** The link that opens Parley and joins `code` (a LAN address or a Steam lobby id). */
export function inviteLink(code: string): string {
  return `${INVITE_SCHEME}://join/${encodeURIComponent(code)}`
}

/** The join code in a parley:// link, or null for anything that is not exactly one of ours. */
export function joinCodeFromLink(link: string): string | null {
  if (link.length > MAX_LINK_LENGTH) return null
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return null
  }
  if (url.protocol !== `${INVITE_SCHEME}:` || url.hostname !== 'join' || url.search || url.hash) return null
  if (url.username || url.password || url.port) return null
  const segments = url.pathname.split('/').filter(Boolean)
  if (segments.length !== 1) return null
  let code: string
  try {
    code = decodeURIComponent(segments[0]!)
  } catch {
    return null
  }
  return isJoinCode(code) ? code : null
}

function isJoinCode(code: string): boolean {
  if (LOBBY_ID.test(code)) return true
  try {
    parseJoinAddress(code)
    return true
  } catch {
    return false
  }
}

/**
 * What a launch asks to join: a parley:// link (the OS passes it as an argument on Windows and
 * Linux), or Steam's "+connect_lobby <id>" (a friend accepted an invite in the Steam overlay).
 */
export function joinCodeFromArgs(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '+connect_lobby') {
      const lobby = argv[i + 1]
      if (lobby !== undefined && LOBBY_ID.test(lobby) && lobby !== '0') return lobby
      continue
    }
    if (arg.toLowerCase().startsWith(`${INVITE_SCHEME}:`)) {
      const code = joinCodeFromLink(arg)
      if (code) return code
    }
  }
  return null
}
