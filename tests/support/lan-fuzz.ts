import { Handshake } from '../../src/main/engine/auth/handshake'
import { DatagramWriter, WIRE_CONTROL, WIRE_VOICE } from '../../src/main/engine/transport/wire-protocol'
import { splitSteamId } from '../../src/shared/steam-id'
import { LanStranger } from './lan-stranger'

type Target = { host: string; port: number }
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Values a field should never hold: wrong types, edges of ranges, huge, hostile text. */
const ODD_VALUES: Json[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 32,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  '',
  '1x',
  '-1',
  '18446744073709551616',
  '99999',
  'x'.repeat(3000),
  '\u0000\u202e\u200b',
  'example.com',
  '::1',
  '999.1.1.1',
  [],
  [[[[[]]]]],
  {},
  { __proto__: { a: 1 } } as Json,
  { constructor: 'x' },
  'ping',
  'roster'
]

/** One of each message, valid, as the fuzzer's starting points. */
function templates(target: Target): Array<{ kind: string; message: Json }> {
  const entry = { id: '76561198000000001', name: 'Eve', host: '127.0.0.1', port: 9 }
  return [
    { kind: 'roster', message: { kind: 'roster', members: [entry, { ...entry, id: '2', port: target.port }] } },
    { kind: 'ping', message: { kind: 'ping', nonce: 7 } },
    { kind: 'pong', message: { kind: 'pong', nonce: 7, at: Date.now() } },
    { kind: 'auth', message: { kind: 'auth', name: 'Mallory', ticket: Buffer.alloc(105, 3).toString('base64') } },
    { kind: 'auth-ok', message: { kind: 'auth-ok' } },
    { kind: 'hello', message: { kind: 'hello', name: 'Mallory', protocol: 2 } },
    { kind: 'beacon', message: { kind: 'beacon', name: 'Room', members: 3 } },
    {
      kind: 'welcome',
      message: { kind: 'welcome', name: 'Old', members: [{ id: '1x', name: 'x', address: '1.2.3.4:99999' }] }
    }
  ]
}

/** Mulberry32: a small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A copy of `message` with one field changed, removed or added, or its kind swapped (never to
 * `leave`: mallory would leave, and the rest of the run would not reach a member's paths).
 */
function mutateFields(message: { [key: string]: Json }, rnd: () => number): Json {
  const copy: { [key: string]: Json } = JSON.parse(JSON.stringify(message))
  const keys = Object.keys(copy)
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!
  const what = rnd()
  if (what < 0.55) copy[pick(keys)] = pick(ODD_VALUES)
  else if (what < 0.7) delete copy[pick(keys)]
  else if (what < 0.8) copy[pick(['admin', 'members', 'ticket', 'nonce', 'x'])] = pick(ODD_VALUES)
  else if (what < 0.9) copy.kind = pick(['roster', 'ping', 'pong', 'auth', 'auth-ok', 'hello', 'beacon', 'welcome'])
  else if (Array.isArray(copy.members)) {
    // Inside a roster entry, field by field.
    const members = copy.members as Json[]
    const entry = { ...(members[0] as { [key: string]: Json }) }
    entry[pick(Object.keys(entry))] = pick(ODD_VALUES)
    copy.members = rnd() < 0.5 ? [entry] : Array.from({ length: 17 + Math.floor(rnd() * 100) }, () => entry)
  }
  return copy
}

export interface FuzzCounts {
  sent: number
  byKind: Record<string, number>
}

/**
 * Sends structured mutations at `target` for `seconds`: every message kind, valid and then mutated
 * field by field, truncated, as bad JSON and bad UTF-8; sealed in `mallory`'s real session (a
 * verified member who misbehaves) and in the clear; datagrams repeated, reordered and with their
 * headers mutated; handshake messages of every step, sizes and exchanges; random bytes. Every
 * so often mallory's valid ticket again, so it stays a member and its traffic reaches the deep paths.
 */
export async function structuredFuzz(
  mallory: LanStranger,
  target: Target,
  options: { seconds: number; perSecond: number; seed: number; validTicket?: string }
): Promise<FuzzCounts> {
  const rnd = random(options.seed)
  const counts: FuzzCounts = { sent: 0, byKind: {} }
  const count = (kind: string) => (counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1)
  const encoder = new TextEncoder()
  const base = templates(target)
  const recent: Buffer[] = []
  const strangers = [0n, 1n, 0xffffffffffffffffn, mallory.id ^ 1n].map((id) => {
    const { low, high } = splitSteamId(id)
    return new DatagramWriter(low, high)
  })
  const send = (datagram: Buffer, kind: string) => {
    mallory.send(datagram, target)
    counts.sent++
    count(kind)
    if (recent.length < 64) recent.push(datagram)
    else recent[Math.floor(rnd() * 64)] = datagram
  }
  const payloadFor = (): { kind: string; bytes: Uint8Array } => {
    const template = base[Math.floor(rnd() * base.length)]!
    const r = rnd()
    if (r < 0.15) return { kind: `${template.kind} valid`, bytes: encoder.encode(JSON.stringify(template.message)) }
    if (r < 0.75) {
      const mutated = mutateFields(template.message as { [key: string]: Json }, rnd)
      return { kind: `${template.kind} mutated`, bytes: encoder.encode(JSON.stringify(mutated)) }
    }
    const text = encoder.encode(JSON.stringify(template.message))
    if (r < 0.88)
      return { kind: `${template.kind} truncated`, bytes: text.subarray(0, Math.floor(rnd() * text.length) + 1) }
    if (r < 0.94) {
      const bad = Uint8Array.from(text)
      bad[Math.floor(rnd() * bad.length)] = 0xc0 + Math.floor(rnd() * 64) // not UTF-8 any more
      return { kind: 'bad utf-8', bytes: bad }
    }
    return {
      kind: 'random payload',
      bytes: Uint8Array.from({ length: 1 + Math.floor(rnd() * 1100) }, () => Math.floor(rnd() * 256))
    }
  }
  const deadline = Date.now() + options.seconds * 1000
  const perTick = Math.max(1, Math.round(options.perSecond / 100))
  while (Date.now() < deadline) {
    const tickStarted = Date.now()
    for (let i = 0; i < perTick; i++) {
      const r = rnd()
      if (r < 0.45) {
        const { kind, bytes } = payloadFor()
        if (bytes.length > 0 && bytes.length <= 1150) send(mallory.sealed(WIRE_CONTROL, bytes), `sealed ${kind}`)
      } else if (r < 0.55) {
        const { kind, bytes } = payloadFor()
        const writer = strangers[Math.floor(rnd() * strangers.length)]!
        if (bytes.length > 0 && bytes.length <= 1150)
          send(mallory.clearFrom(writer, WIRE_CONTROL, bytes), `clear ${kind}`)
      } else if (r < 0.62) {
        // Voice: its own id inside or another's, sealed or not, any length.
        const voice = Uint8Array.from({ length: 8 + Math.floor(rnd() * 1000) }, () => Math.floor(rnd() * 256))
        if (rnd() < 0.7) new DataView(voice.buffer).setBigUint64(0, mallory.id, true)
        send(rnd() < 0.8 ? mallory.sealed(WIRE_VOICE, voice) : mallory.clear(WIRE_VOICE, voice), 'voice')
      } else if (r < 0.72) {
        // Handshakes: a real first message, or any step with any bytes and exchange.
        const step = 1 + Math.floor(rnd() * 4)
        const body =
          rnd() < 0.5 && step === 1
            ? Handshake.initiate().lastSent!
            : Uint8Array.from({ length: [32, 96, 64, 0, 500][Math.floor(rnd() * 5)]! }, () => Math.floor(rnd() * 256))
        send(LanStranger.handshakeDatagram(mallory.writer, step, body, Math.floor(rnd() * 4)), `handshake step ${step}`)
      } else if (r < 0.8 && recent.length) {
        // Repeated: a datagram sent before, again (a replay, or the network's duplicate).
        send(recent[Math.floor(rnd() * recent.length)]!, 'repeated')
      } else if (r < 0.85 && recent.length > 4) {
        // Reordered: a few recent ones, backwards.
        for (const datagram of recent.slice(-4).reverse()) send(datagram, 'reordered')
      } else if (r < 0.95 && recent.length) {
        // A sealed datagram with its header or body changed: version, type, flags, id, length, a bit.
        const changed = Buffer.from(recent[Math.floor(rnd() * recent.length)]!)
        const at = Math.floor(rnd() * changed.length)
        changed[at] = changed[at]! ^ (1 << Math.floor(rnd() * 8))
        send(rnd() < 0.2 ? changed.subarray(0, Math.floor(rnd() * changed.length)) : changed, 'bit flipped')
      } else {
        send(
          Buffer.from(Uint8Array.from({ length: Math.floor(rnd() * 1300) }, () => Math.floor(rnd() * 256))),
          'random bytes'
        )
      }
    }
    if (options.validTicket && rnd() < 0.05) {
      send(mallory.control({ kind: 'auth', name: 'Mallory', ticket: options.validTicket }), 'valid ticket again')
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (Date.now() - tickStarted))))
  }
  return counts
}
