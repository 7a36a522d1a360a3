import { describe, expect, it } from 'vitest'
import { ReorderBuffer } from '../../../../src/main/engine/speaker/reorder-buffer'

function harness() {
  const buffer = new ReorderBuffer()
  const out: number[] = []
  const insert = (sequence: number, at: number) => buffer.insert(sequence, Uint8Array.of(sequence & 0xff), 0, 1, at, at)
  const release = (now: number, wait = 40) => buffer.release(now, wait, (bytes) => out.push(bytes[0]!))
  return { buffer, out, insert, release }
}

describe('ReorderBuffer', () => {
  it('passes packets in order straight through', () => {
    const { out, insert, release } = harness()
    for (let s = 10; s < 15; s++) {
      insert(s, s)
      release(s)
    }
    expect(out).toEqual([10, 11, 12, 13, 14])
  })

  it('puts reordered packets back in order', () => {
    const { out, insert, release } = harness()
    insert(1, 0)
    release(0)
    insert(3, 1)
    release(1)
    insert(2, 2)
    release(2)
    expect(out).toEqual([1, 2, 3])
  })

  it('waits at a gap, then gives up on the missing packet and goes on', () => {
    const { buffer, out, insert, release } = harness()
    insert(1, 0)
    insert(3, 10)
    release(10)
    expect(out).toEqual([1])
    release(49)
    expect(out).toEqual([1])
    release(50)
    expect(out).toEqual([1, 3])
    expect(buffer.stats.skipped).toBe(1)
    expect(insert(2, 60)).toBe('late')
  })

  it('counts duplicates, held or already played', () => {
    const { buffer, insert, release } = harness()
    insert(5, 0)
    insert(7, 0)
    expect(insert(7, 1)).toBe('duplicate')
    release(1)
    expect(insert(5, 2)).toBe('duplicate')
    expect(buffer.stats.duplicate).toBe(2)
  })

  it('follows the sequence across its wrap-around and restarts for a rebooted sender', () => {
    const { out, insert, release } = harness()
    for (const s of [65534, 65535, 0, 1]) {
      insert(s, 0)
      release(0)
    }
    expect(out).toEqual([254, 255, 0, 1])
    insert(40000, 1)
    release(1)
    expect(out.at(-1)).toBe(40000 & 0xff)
  })
})
