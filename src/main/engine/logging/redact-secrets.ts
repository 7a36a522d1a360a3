/**
 * Auth tickets, keys and other key material, as they would appear in a message: long runs of hex
 * (16 bytes or more) or of base64 with digits and both cases (30 bytes or more). Ids (a SteamID
 * is 17 decimal digits), addresses, paths and words are shorter, broken by punctuation, or lack
 * one of those. A safety net only: nothing logs a ticket or a key on purpose.
 */
const SECRET_LOOKING =
  /(?<![0-9A-Za-z+/=_-])(?:[0-9a-fA-F]{32,}|(?=[0-9A-Za-z+/_-]*\d)(?=[0-9A-Za-z+/_-]*[a-z])(?=[0-9A-Za-z+/_-]*[A-Z])[0-9A-Za-z+/_-]{40,}={0,2})(?![0-9A-Za-z+/=_-])/g

/** The text with anything that looks like key material replaced by "[redacted]". */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LOOKING, '[redacted]')
}
