import { getHeapStatistics } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { buildCompactly, COLLECT_AFTER_BYTES, userSetsYoungGeneration, V8_HEAP, type HeapControl } from './compact-build.js'

/** A heap that records what was asked of it; a build adds to `used` what it allocates. */
function recordingHeap(): HeapControl & { calls: string[]; used: number } {
  const heap = {
    calls: [] as string[],
    used: 100,
    setFlags: (flags: string) => void heap.calls.push(flags),
    usedBytes: () => heap.used,
    collect: () => {
      heap.calls.push('collect')
      return true
    },
  }
  return heap
}

describe('userSetsYoungGeneration', () => {
  it('finds young-generation flags in the command line and in NODE_OPTIONS, with dashes or underscores', () => {
    expect(userSetsYoungGeneration(['--max-semi-space-size=8'], undefined)).toBe(true)
    expect(userSetsYoungGeneration([], '--inspect --semi_space_growth_factor=4')).toBe(true)
    expect(userSetsYoungGeneration([], '--min-semi-space-size=2')).toBe(true)
  })

  it('ignores other flags', () => {
    expect(userSetsYoungGeneration(['--enable-source-maps'], '--max-old-space-size=512')).toBe(false)
    expect(userSetsYoungGeneration([], undefined)).toBe(false)
    expect(userSetsYoungGeneration([], '')).toBe(false)
  })
})

describe('buildCompactly', () => {
  it('holds the young generation at its size while building, then puts V8’s default back', () => {
    const heap = recordingHeap()
    const built = buildCompactly(
      () => {
        heap.calls.push('build')
        return 'world'
      },
      { execArgv: [], nodeOptions: undefined, heap },
    )
    expect(built).toBe('world')
    expect(heap.calls).toEqual(['--semi-space-growth-factor=1', 'build', '--semi-space-growth-factor=2'])
  })

  it('puts the growth factor back when the build throws, and collects nothing', () => {
    const heap = recordingHeap()
    expect(() =>
      buildCompactly(
        () => {
          heap.used += COLLECT_AFTER_BYTES * 2
          throw new Error('bad fixture')
        },
        { execArgv: [], nodeOptions: undefined, heap },
      ),
    ).toThrow('bad fixture')
    expect(heap.calls).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2'])
  })

  it('leaves the flags alone when the user set young-generation flags of their own', () => {
    const heap = recordingHeap()
    buildCompactly(() => heap.calls.push('build'), { execArgv: [], nodeOptions: '--max-semi-space-size=64', heap })
    expect(heap.calls).toEqual(['build'])
  })

  it('runs one full collection after a build that grew the heap by more than the threshold, and none after a small one', () => {
    const big = recordingHeap()
    buildCompactly(() => (big.used += COLLECT_AFTER_BYTES + 1), { execArgv: [], nodeOptions: undefined, heap: big })
    expect(big.calls.filter((c) => c === 'collect')).toHaveLength(1)
    expect(big.calls.at(-1)).toBe('collect') // after the growth factor is back

    const small = recordingHeap()
    buildCompactly(() => (small.used += COLLECT_AFTER_BYTES), { execArgv: [], nodeOptions: undefined, heap: small })
    expect(small.calls).not.toContain('collect')
  })
})

describe('V8_HEAP', () => {
  it('runs a real full collection without --expose-gc, and leaves gc unexposed', () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined()
    let garbage: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `garbage ${i}` }))
    const withGarbage = getHeapStatistics().used_heap_size
    expect(garbage).toHaveLength(200_000)
    garbage = null
    expect(V8_HEAP.collect()).toBe(true)
    expect(getHeapStatistics().used_heap_size).toBeLessThan(withGarbage - 8 * 1024 * 1024)
    // Exposing gc affects only contexts made while it is on: a context made now has none.
    expect(runInNewContext('typeof gc')).toBe('undefined')
  })
})
