/**
 * @module Request ids as GitLab sends them in `X-Request-Id` (its correlation id: a 26-character
 * ULID, e.g. `01FGN8P881GF2E5J91JYA338Y3`): 48 bits of milliseconds, then 80 random bits that count up
 * within one millisecond, in Crockford's base 32. Randomness from the platform, never from the world's
 * seeded sequence (request ids must not change what a seed produces).
 */
import { getRandomValues } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const ALPHABET_CODES = Array.from(ALPHABET, (ch) => ch.charCodeAt(0))
const TIME_DIGITS = 10
const RANDOM_DIGITS = 16

/** Half of an id's random part: 8 digits of base 32 (40 bits, a whole number a double holds exactly). */
const HALF = RANDOM_DIGITS / 2
const HALF_RANGE = 32 ** HALF

let lastMs = -1
const digits = new Uint8Array(RANDOM_DIGITS)
/** The random part's two halves as numbers, kept with its digits (the journal keeps a request's id as them). */
let randomHigh = 0
let randomLow = 0
/** The id's 26 character codes, kept between ids: a new millisecond rewrites them all, a count up only its last few. */
const codes: number[] = new Array<number>(TIME_DIGITS + RANDOM_DIGITS).fill(ALPHABET_CODES[0] as number)
// Random bytes drawn 64 ids' worth at a time (one platform call per 64 milliseconds that see a request).
const pool = new Uint8Array(RANDOM_DIGITS * 64)
let poolAt = pool.length

function freshRandom(): void {
  if (poolAt === pool.length) {
    getRandomValues(pool)
    poolAt = 0
  }
  randomHigh = 0
  randomLow = 0
  for (let i = 0; i < RANDOM_DIGITS; i++) {
    const d = (pool[poolAt + i] as number) & 31
    digits[i] = d
    codes[TIME_DIGITS + i] = ALPHABET_CODES[d] as number
    if (i < HALF) randomHigh = randomHigh * 32 + d
    else randomLow = randomLow * 32 + d
  }
  poolAt += RANDOM_DIGITS
}

/** Count the random part up by one (a full carry wraps, as ULID's monotonic mode would overflow). */
function increment(): void {
  // The halves as numbers count with the digits: the low half carries into the high one, which wraps.
  if (++randomLow === HALF_RANGE) {
    randomLow = 0
    if (++randomHigh === HALF_RANGE) randomHigh = 0
  }
  for (let i = RANDOM_DIGITS - 1; i >= 0; i--) {
    const d = ((digits[i] as number) + 1) & 31
    digits[i] = d
    codes[TIME_DIGITS + i] = ALPHABET_CODES[d] as number
    if (d !== 0) return
  }
}

/** Writes the base-32 digits of the millisecond `ms` as character codes into the first TIME_DIGITS places of `into`. */
function putTime(into: number[], ms: number): void {
  let t = ms
  for (let i = TIME_DIGITS - 1; i >= 0; i--) {
    into[i] = ALPHABET_CODES[t % 32] as number
    t = Math.floor(t / 32)
  }
}

/** The newest id made, and the millisecond its time part says (which ids made later in it do not change). */
let newest = ''
let newestMs = -1

/** A new ULID-shaped id; ids made in the same millisecond sort in creation order. One flat string (adding characters one by one made a rope of 17 nodes). */
export function requestId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    freshRandom()
    putTime(codes, now)
  } else increment()
  newest = String.fromCharCode.apply(null, codes)
  newestMs = lastMs
  return newest
}

/**
 * Whether `id` is the newest id made, made for the millisecond `ms`: then newestHigh() and newestLow() give its random
 * part, and idOf(ms, high, low) gives it back. The journal keeps a request's id so, as two numbers, when nothing made
 * another id before its entry was written (an answer made in the same turn).
 */
export function isNewestId(id: string, ms: number): boolean {
  return id === newest && ms === newestMs
}

/** The newest id's random part, its first half. */
export const newestHigh = (): number => randomHigh

/** The newest id's random part, its second half. */
export const newestLow = (): number => randomLow

/** The id made for the millisecond `ms` whose random part is `high` and `low`. */
export function idOf(ms: number, high: number, low: number): string {
  const out = new Array<number>(TIME_DIGITS + RANDOM_DIGITS)
  putTime(out, ms)
  for (let i = HALF - 1, h = high, l = low; i >= 0; i--) {
    out[TIME_DIGITS + i] = ALPHABET_CODES[h % 32] as number
    out[TIME_DIGITS + HALF + i] = ALPHABET_CODES[l % 32] as number
    h = Math.floor(h / 32)
    l = Math.floor(l / 32)
  }
  return String.fromCharCode.apply(null, out)
}
