/**
 * @module A request's one clock read: `performance.now()` (monotonic, sub-millisecond), with its wall-clock time
 * derived from it instead of read again. A journaled request needs both, a monotonic start for its duration and a
 * wall time for its id and entry, and each read costs 50–76 ns on a VM's clock.
 *
 * The wall clock and the monotonic one advance at nearly the same rate: their difference moves by some microseconds
 * while a process runs, and by a step when the wall clock is set (by hand, or by a time daemon's step). So it is
 * measured once, at a millisecond's edge, and checked against `Date.now()` once a second: a step is followed within a
 * second.
 */

/** How often (monotonic ms) the kept difference is checked against `Date.now()`. */
export const CHECK_EVERY_MS = 1000

/**
 * Epoch ms minus `performance.now()`: the largest lower bound of it seen (a bound is `Date.now()` minus a
 * `performance.now()` read after it). The two clocks' difference moves by some microseconds while a process runs, so a
 * derived time agrees with `Date.now()` to within a millisecond, and with the same millisecond on all but a few
 * readings in a thousand (those within microseconds of a millisecond's edge; up to 17 in a thousand seen in tests).
 */
let offset = Number.NaN
let checkedAt = Number.NEGATIVE_INFINITY

/** The wall-clock time, whole epoch ms, of a `performance.now()` reading: what `Date.now()` said then, within a millisecond. */
export function wallTime(mono: number): number {
  if (mono - checkedAt >= CHECK_EVERY_MS) check(mono)
  return Math.floor(mono + offset)
}

/** Keep the difference while `Date.now()` agrees with it (a closer bound raises it); measure it again after a step. */
function check(mono: number): void {
  checkedAt = mono
  const above = bound() - offset // NaN before the first measure
  if (above > 0 && above < 1) offset += above
  else if (!(above <= 0 && above > -1)) measure()
}

/** A lower bound of the difference: less than it by the part of a millisecond `Date.now()` drops, and the reads' gap. */
function bound(): number {
  return Date.now() - performance.now()
}

/** How closely two edges' bounds agree for the difference to be taken (a few loop turns' worth). */
const AGREE_MS = 0.02
/** The most edges read for one measure. */
const MAX_EDGES = 8

/**
 * The difference as closely as a millisecond's edge gives it: the largest of the bounds read across `Date.now()`'s
 * edges, until two edges agree on it within AGREE_MS (two edges at least, MAX_EDGES at most: a wait of some
 * milliseconds, at the first request and after a step). A bound is only ever too low, when the process was held up
 * between its two reads or across an edge: under load (a test runner's other threads on two cores) two fixed edges
 * left it up to 0.2 ms low in some starts, so a fifth of readings fell a millisecond early until the first check.
 * Both clocks are read some dozens of times first: a first call of each took hundreds of microseconds, which put the
 * bound as far below.
 */
function measure(): void {
  let best = Number.NEGATIVE_INFINITY
  for (let i = 0; i < 64; i++) best = Math.max(best, bound())
  for (let edges = 0; edges < MAX_EDGES; edges++) {
    const first = Date.now()
    let atEdge = Number.NEGATIVE_INFINITY
    for (;;) {
      const wall = Date.now()
      atEdge = Math.max(atEdge, wall - performance.now())
      if (wall !== first) break
    }
    const agrees = edges > 0 && Math.abs(atEdge - best) <= AGREE_MS
    best = Math.max(best, atEdge)
    if (agrees) break
  }
  offset = best
}
