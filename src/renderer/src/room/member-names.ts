/** Hex digits of a member's id shown after a name that is not unique in the room. */
const FINGERPRINT_DIGITS = 8

/** The short fingerprint of a member's id (ids are decimal text; LAN ids come from the member's key). */
export function fingerprint(id: string): string {
  return BigInt(id).toString(16).padStart(16, '0').slice(-FINGERPRINT_DIGITS)
}

/** Names as people compare them: case and width folded (NFKC), spaces trimmed; other scripts' lookalikes are not. */
function comparable(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase()
}

/**
 * What to call each person in a room: their name, or, where another has the same name (as a
 * person would read it), their name and the fingerprint of their id, so that someone who takes
 * a member's name never passes for them unnoticed.
 */
export function tellApart(people: ReadonlyArray<{ id: string; name: string }>): Map<string, string> {
  const count = new Map<string, number>()
  for (const { name } of people) count.set(comparable(name), (count.get(comparable(name)) ?? 0) + 1)
  const shown = new Map<string, string>()
  for (const { id, name } of people)
    shown.set(id, (count.get(comparable(name)) ?? 0) > 1 ? `${name} #${fingerprint(id)}` : name)
  return shown
}
