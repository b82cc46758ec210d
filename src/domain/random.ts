/** @module The small seeded generator used on the request path (new tokens, ids of things GitLab randomises). Its state lives in the world, so reset and snapshots restore the sequence too. */

/** A 32-bit seed from any number or string (FNV-1a over the text). */
export function seedFrom(seed: number | string): number {
  const text = String(seed)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32's step: each draw adds it to the state. */
const STEP = 0x6d2b79f5

/** mulberry32's state after `state`. */
const nextState = (state: number): number => (state + STEP) >>> 0

/** mulberry32's state `count` draws after `state`. */
const stateAfter = (state: number, count: number): number => (state + Math.imul(count, STEP)) >>> 0

/** mulberry32's 32-bit output for a state (the one it moved to). */
function outputOf(state: number): number {
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return (t ^ (t >>> 14)) >>> 0
}

/** mulberry32's float in [0, 1). */
const valueOf = (state: number): number => outputOf(state) / 4294967296

/** Math.floor(valueOf(state) * 16), in integers: the output's top 4 bits. */
const nibbleOf = (state: number): number => outputOf(state) >>> 28

/** A generator over a mutable holder of the state (the world, or a local holder while building). */
export interface RandomSource {
  next(): number
  int(maxExclusive: number): number
  pick<T>(items: readonly T[]): T
  /**
   * Move past `count` draws at once and return the state they start from: {@link hexDigits} of it gives what `count`
   * draws of `int(16)` would have given, whenever it is asked (a seeded job's two shas are 80 draws, read rarely).
   */
  advance(count: number): number
}

export function randomSource(holder: { rngState: number }): RandomSource {
  const source: RandomSource = {
    next() {
      // No pair per draw: seeding 100k runners draws millions of numbers.
      const state = nextState(holder.rngState)
      holder.rngState = state
      return valueOf(state)
    },
    int(maxExclusive) {
      return Math.floor(source.next() * maxExclusive)
    },
    pick(items) {
      return items[source.int(items.length)] as (typeof items)[number]
    },
    advance(count) {
      const from = holder.rngState
      holder.rngState = stateAfter(from, count)
      return from
    },
  }
  return source
}

/** Devise.friendly_token's alphabet: url-safe base64 with l, I, O and 0 replaced. */
const FRIENDLY = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789-_sxyz'

const FRIENDLY_CODES = Array.from(FRIENDLY, (ch) => ch.charCodeAt(0))
/** The character codes of the text being made (one array for every token and hex text: 100k generated runners draw 100k of each). */
const codes: number[] = []

/** `codes` sized for `prefix` and `length` more characters, the prefix written. */
function startCodes(prefix: string, length: number): void {
  codes.length = prefix.length + length
  for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i)
}

const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0))

/**
 * `prefix` then the `count` hex digits that `count` draws of `int(16)` from state `from` give (one digit a draw,
 * the first draw first), as one flat string: see {@link RandomSource.advance}.
 */
export function hexDigits(from: number, count: number, prefix = ''): string {
  startCodes(prefix, count)
  let state = from
  for (let i = prefix.length; i < codes.length; i++) {
    state = nextState(state)
    codes[i] = HEX_CODES[nibbleOf(state)] as number
  }
  return String.fromCharCode.apply(null, codes)
}

/** `prefix` then `length` friendly characters, as one flat string (a template literal would make a rope, which every Map lookup of the token flattens again). */
export function friendlyToken(random: RandomSource, length = 20, prefix = ''): string {
  startCodes(prefix, length)
  for (let i = prefix.length; i < codes.length; i++) codes[i] = FRIENDLY_CODES[random.int(FRIENDLY_CODES.length)] as number
  // One flat string from the codes (`+=` would leave a chain of rope nodes; an array of one-letter strings and a
  // join took twice as long).
  return String.fromCharCode.apply(null, codes)
}

/** GitLab 15.x token shapes (issue #4). */
export const TokenFormat = {
  runnerAuthentication: (r: RandomSource) => friendlyToken(r, 20),
  instanceRegistration: (r: RandomSource) => friendlyToken(r, 20),
  namespaceRegistration: (r: RandomSource) => friendlyToken(r, 20, 'GR1348941'),
  personalAccess: (r: RandomSource) => friendlyToken(r, 20, 'glpat-'),
  /** A runner authentication token behind a version's prefix (`glrt-`, `glrt-t3_`, `t1_`, `glrtr-`; gitlab-versions.md §3.9). */
  prefixedRunnerAuthentication: (r: RandomSource, prefix: string) => friendlyToken(r, 20, prefix),
} as const
