import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHECK_EVERY_MS, wallTime } from './request-time.js'

afterEach(() => {
  vi.restoreAllMocks()
})

/** wallTime of a fresh performance.now(), with Date.now() read just before and just after it. */
function sample(): { before: number; wall: number; after: number } {
  const before = Date.now()
  const wall = wallTime(performance.now())
  const after = Date.now()
  return { before, wall, after }
}

describe('wallTime', () => {
  it('says what Date.now() says at the reading, within a millisecond, and the same millisecond on nearly every reading', () => {
    let outside = 0
    let farther = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const { before, wall, after } = sample()
      expect(Number.isInteger(wall)).toBe(true)
      if (wall < before || wall > after) outside++
      if (wall < before - 1 || wall > after + 1) farther++
    }
    expect(farther).toBe(0)
    // A difference taken from one pair of reads (not at a millisecond's edge) is off by up to a millisecond: about
    // half of all readings would fall outside.
    expect(outside / n).toBeLessThan(0.05)
  })

  it('follows a step of the wall clock, forward and back, at its next check', () => {
    const real = Date.now.bind(Date)
    // Readings a check apart, ahead of the real clock, so no stall of the test's own makes a check come sooner.
    const first = performance.now() + 2 * CHECK_EVERY_MS
    const before = wallTime(first) // checked against the real clock
    const stepped = vi.spyOn(Date, 'now').mockImplementation(() => real() + 3_600_000)
    // Within a second of the last check, the kept difference stands.
    expect(wallTime(first + 1) - before).toBeLessThanOrEqual(2)
    // A reading a check later is taken against the stepped clock, and the readings after it too. (A millisecond more
    // than a check: `first + CHECK_EVERY_MS - first` can round to just under CHECK_EVERY_MS.)
    const second = first + CHECK_EVERY_MS + 1
    expect(wallTime(second) - Math.floor(performance.timeOrigin + second)).toBeGreaterThan(3_500_000)
    const after = sample()
    expect(after.wall).toBeGreaterThanOrEqual(after.before - 1)
    expect(after.wall).toBeLessThanOrEqual(after.after + 1)
    // Stepped back: followed at the check after.
    stepped.mockRestore()
    const third = second + CHECK_EVERY_MS + 1
    expect(Math.abs(wallTime(third) - (performance.timeOrigin + third))).toBeLessThan(100)
  })

  it('gives the same instant for the same reading, and later instants for later readings', () => {
    const mono = performance.now()
    expect(wallTime(mono)).toBe(wallTime(mono))
    expect(wallTime(mono + 0.5) - wallTime(mono - 0.5)).toBeLessThanOrEqual(1)
    expect(wallTime(mono + 5)).toBeGreaterThanOrEqual(wallTime(mono) + 4)
  })
})
