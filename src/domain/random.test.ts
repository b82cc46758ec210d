import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { friendlyToken, randomSource } from './random.js'

describe('randomSource', () => {
  it('draws nibbles as int(16) draws them, and leaves the state where they leave it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 64 }), (seed, count) => {
        const one = { rngState: seed }
        const other = { rngState: seed }
        const byInt = Array.from({ length: count }, () => randomSource(one).int(16))
        const into = new Uint8Array(count)
        randomSource(other).nibbles(into, count)
        expect([...into]).toEqual(byInt)
        expect(other.rngState).toBe(one.rngState)
        expect(randomSource(other).next()).toBe(randomSource(one).next())
      }),
      { numRuns: 300 },
    )
  })

  it('puts a prefix before the same characters as without it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 30 }), (seed, prefix, length) => {
        const plain = friendlyToken(randomSource({ rngState: seed }), length)
        const prefixed = friendlyToken(randomSource({ rngState: seed }), length, prefix)
        expect(prefixed).toBe(prefix + plain)
        expect(plain).toMatch(new RegExp(`^[A-Za-z1-9_-]{${length}}$`))
      }),
      { numRuns: 200 },
    )
  })
})
