import { describe, expect, it, vi } from 'vitest'

// The platform's random bytes, chosen: an id whose low half is all Zs (so the next one carries into the high half),
// then one whose both halves are (so the next one wraps to zero). Only the low five bits of a byte are used.
vi.mock('node:crypto', () => ({
  getRandomValues: (into: Uint8Array) => {
    into.fill(0)
    into.fill(31, 8, 16) // first id: high half 0…0 then 7 at its end, low half all 31
    into[7] = 7
    into.fill(31, 16, 32) // second millisecond's id: all 31
    return into
  },
}))

const { idOf, newestHigh, newestLow, requestId } = await import('./request-id.js')

describe('request ids counted as two numbers', () => {
  it('carry from the low half into the high one, and wrap to zero from the largest value, as the digits do', () => {
    const first = requestId(1_950_000_000_000)
    expect(first.slice(10)).toBe('0000000' + '7' + 'Z'.repeat(8))
    expect([newestHigh(), newestLow()]).toEqual([7, 2 ** 40 - 1])
    const carried = requestId(1_950_000_000_000)
    expect(carried.slice(10)).toBe('0000000' + '8' + '0'.repeat(8))
    expect([newestHigh(), newestLow()]).toEqual([8, 0])
    expect(idOf(1_950_000_000_000, newestHigh(), newestLow())).toBe(carried)

    const largest = requestId(1_950_000_000_001)
    expect(largest.slice(10)).toBe('Z'.repeat(16))
    expect([newestHigh(), newestLow()]).toEqual([2 ** 40 - 1, 2 ** 40 - 1])
    const wrapped = requestId(1_950_000_000_001)
    expect(wrapped.slice(10)).toBe('0'.repeat(16))
    expect([newestHigh(), newestLow()]).toEqual([0, 0])
    expect(idOf(1_950_000_000_001, newestHigh(), newestLow())).toBe(wrapped)
  })
})
