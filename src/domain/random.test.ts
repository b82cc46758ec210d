import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { friendlyToken, hexDigits, randomSource } from './random.js'

describe('randomSource', () => {
  it('advances past draws in one step, and the hex digits of the state they start from are those draws of int(16)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 64 }), fc.string({ maxLength: 4 }), (seed, count, prefix) => {
        const one = { rngState: seed }
        const other = { rngState: seed }
        const byInt = Array.from({ length: count }, () => randomSource(one).int(16).toString(16)).join('')
        const from = randomSource(other).advance(count)
        expect(from).toBe(seed)
        expect(hexDigits(from, count, prefix)).toBe(prefix + byInt)
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
