/**
 * @module Request ids as GitLab sends them in `X-Request-Id` (its correlation id: a 26-character
 * ULID, e.g. `01FGN8P881GF2E5J91JYA338Y3`): 48 bits of milliseconds, then 80 random bits that count up
 * within one millisecond, in Crockford's base 32. Randomness from the platform, never from the world's
 * seeded sequence (request ids must not change what a seed produces).
 */
import { getRandomValues } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const RANDOM_DIGITS = 16

let lastMs = -1
let time = ''
const digits = new Uint8Array(RANDOM_DIGITS)
// Random bytes drawn 64 ids' worth at a time (one platform call per 64 milliseconds that see a request).
const pool = new Uint8Array(RANDOM_DIGITS * 64)
let poolAt = pool.length

function freshRandom(): void {
  if (poolAt === pool.length) {
    getRandomValues(pool)
    poolAt = 0
  }
  for (let i = 0; i < RANDOM_DIGITS; i++) digits[i] = (pool[poolAt + i] as number) & 31
  poolAt += RANDOM_DIGITS
}

/** Count the random part up by one (a full carry wraps, as ULID's monotonic mode would overflow). */
function increment(): void {
  for (let i = RANDOM_DIGITS - 1; i >= 0; i--) {
    const d = ((digits[i] as number) + 1) & 31
    digits[i] = d
    if (d !== 0) return
  }
}

/** A new ULID-shaped id; ids made in the same millisecond sort in creation order. */
export function requestId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    freshRandom()
    time = ''
    let t = now
    for (let i = 0; i < 10; i++) {
      time = ALPHABET[t % 32] + time
      t = Math.floor(t / 32)
    }
  } else increment()
  let random = ''
  for (let i = 0; i < RANDOM_DIGITS; i++) random += ALPHABET[digits[i] as number]
  return time + random
}
