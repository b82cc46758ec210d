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

/** mulberry32's state after `state`. */
const nextState = (state: number): number => (state + 0x6d2b79f5) >>> 0

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
  /** `into[0..count)` = `count` draws of `int(16)`, in order (the same numbers, without a call per draw: a seeded job's two shas are 80 draws). */
  nibbles(into: Uint8Array, count: number): void
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
    nibbles(into, count) {
      let state = holder.rngState
      for (let i = 0; i < count; i++) {
        state = nextState(state)
        into[i] = nibbleOf(state)
      }
      holder.rngState = state
    },
  }
  return source
}

/** Devise.friendly_token's alphabet: url-safe base64 with l, I, O and 0 replaced. */
const FRIENDLY = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789-_sxyz'

const FRIENDLY_CODES = Array.from(FRIENDLY, (ch) => ch.charCodeAt(0))
/** The character codes of the token being drawn (one array for every token: 100k generated runners draw 100k). */
const codes: number[] = []

/** `prefix` then `length` friendly characters, as one flat string (a template literal would make a rope, which every Map lookup of the token flattens again). */
export function friendlyToken(random: RandomSource, length = 20, prefix = ''): string {
  codes.length = prefix.length + length
  for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i)
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
