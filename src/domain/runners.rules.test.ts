/** @module Runner rules tested through the domain's public functions where HTTP cannot reach them (parameters arrive already trimmed). */
import { describe, expect, it } from 'vitest'
import { normalizeTags, TAG_LIST_POOL_SIZE } from './runners.js'
import { EMPTY_LIST } from './types.js'

describe('tags as GitLab stores them', () => {
  // gitlab-behaviour.md §3 "tag_list": items trimmed, case-sensitive (acts-as-taggable with strict_case_match);
  // acts-as-taggable drops blank and repeated tags when it saves a tag list.
  it('trims each tag, drops blank and repeated ones, and keeps case and order', () => {
    expect(normalizeTags([' linux ', '', '   ', 'docker', 'linux', 'Linux', ' docker'])).toEqual(['linux', 'docker', 'Linux'])
  })

  it('gives runners with the same tags one frozen list, and lists that only join alike lists of their own', () => {
    const first = normalizeTags(['ci', ' linux'])
    expect(first).toEqual(['ci', 'linux'])
    expect(Object.isFrozen(first)).toBe(true)
    expect(normalizeTags(['ci', 'linux', 'ci'])).toBe(first)
    expect(normalizeTags(['linux', 'ci'])).not.toBe(first)
    // Joined with NUL these two read alike; each keeps its own tags.
    const joined = normalizeTags(['a\0b', 'c'])
    const split = normalizeTags(['a', 'b\0c'])
    expect([joined, split]).toEqual([['a\0b', 'c'], ['a', 'b\0c']])
    expect(normalizeTags(['a\0b', 'c'])).toBe(joined)
    // The same key, and a first tag alike: still another list.
    expect(normalizeTags(['x', 'a\0b', 'c'])).toEqual(['x', 'a\0b', 'c'])
    expect(normalizeTags(['x', 'a', 'b\0c'])).toEqual(['x', 'a', 'b\0c'])
    // Tags are joined with a separator: ['a', 'bc'] does not keep ['ab', 'c'] out of the pool.
    normalizeTags(['a', 'bc'])
    const ab = normalizeTags(['ab', 'c'])
    expect(normalizeTags(['ab', 'c'])).toBe(ab)
    // Still kept after other lists were added.
    expect(normalizeTags(['ci', 'linux'])).toBe(first)
    expect(normalizeTags([' ', ''])).toBe(EMPTY_LIST)
  })

  it('keeps at most TAG_LIST_POOL_SIZE lists for sharing', () => {
    // The pool is the process's: other tests have filled some of it, so count the lists it takes to let one go.
    const first = normalizeTags(['pool-0'])
    let added = 0
    while (added <= TAG_LIST_POOL_SIZE && normalizeTags(['pool-0']) === first) normalizeTags([`pool-${++added}`])
    expect(added).toBeGreaterThan(0)
    expect(added).toBeLessThanOrEqual(TAG_LIST_POOL_SIZE)
    expect(normalizeTags(['pool-0'])).toEqual(['pool-0'])
  })
})
