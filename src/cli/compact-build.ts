/**
 * @module Building the CLI's world without leaving the build's scaffolding in memory. Nearly every object a world
 * build makes lives as long as the world, and V8 answers a high survival rate by doubling the young generation's
 * semi-spaces up to their maximum (2 × 16 MB on 64-bit), which it then keeps committed for the life of the
 * process although the requests that follow leave next to nothing alive. The build's temporaries (maps outgrown
 * while they filled, arrays of a generator's draws) stay in the old generation until a full collection, which a
 * server under steady load may not run for hours. At 100k runners the two held about 60 MB of a 250 MB budget.
 *
 * So while the world is built V8's semi-space growth factor is 1 (survivors go to the old generation, where they
 * end up anyway) and V8's default again afterwards; and when the build grew the heap by more than
 * {@link COLLECT_AFTER_BYTES}, one full collection runs before the server listens. Only the CLI does this (it owns
 * its process); young-generation flags of the user's are left alone.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** V8's default `--semi-space-growth-factor` (flag-definitions.h). */
const V8_DEFAULT_GROWTH_FACTOR = 2

/**
 * A build that grew the heap by more than this is followed by a full collection. The default world's build grows
 * it by next to nothing (its world is forked from a kept template; a collection would only slow every start);
 * 2,000 generated runners by about 3 MB, 10k by about 10 MB, 100k by about 110 MB (a collection of 90 to 130 ms).
 */
export const COLLECT_AFTER_BYTES = 8 * 1024 * 1024

/** Whether Node was started with a young-generation flag of the user's (then theirs is kept). */
export function userSetsYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const flags = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  return flags.some((flag) => /^--(?:semi|max-semi|min-semi)[-_]space/.test(flag.replace(/_/g, '-')))
}

/** What the build needs from V8; the real one by default, a recording one in the tests. */
export interface HeapControl {
  setFlags(flags: string): void
  usedBytes(): number
  /** One full collection (V8's gc()), or false where it cannot be had. */
  collect(): boolean
}

/** V8's gc(): Node's own when started with --expose-gc, else from a context made while the flag is on for a moment. */
function collectGarbage(): boolean {
  let gc = (globalThis as { gc?: unknown }).gc
  if (typeof gc !== 'function') {
    setFlagsFromString('--expose-gc')
    try {
      gc = runInNewContext('gc')
    } catch {
      gc = undefined
    } finally {
      setFlagsFromString('--no-expose-gc')
    }
  }
  if (typeof gc !== 'function') return false
  ;(gc as () => void)()
  return true
}

export const V8_HEAP: HeapControl = {
  setFlags: setFlagsFromString,
  usedBytes: () => getHeapStatistics().used_heap_size,
  collect: collectGarbage,
}

/**
 * `build()` with the young generation held at its size (the growth factor is put back also when it throws),
 * then one full collection if the build grew the heap by more than {@link COLLECT_AFTER_BYTES}.
 */
export function buildCompactly<T>(
  build: () => T,
  options: { execArgv?: readonly string[]; nodeOptions?: string | undefined; heap?: HeapControl } = {},
): T {
  const { execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS, heap = V8_HEAP } = options
  const before = heap.usedBytes()
  const hold = !userSetsYoungGeneration(execArgv, nodeOptions)
  if (hold) heap.setFlags('--semi-space-growth-factor=1')
  let built: T
  try {
    built = build()
  } finally {
    if (hold) heap.setFlags(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`)
  }
  if (heap.usedBytes() - before > COLLECT_AFTER_BYTES) heap.collect()
  return built
}
