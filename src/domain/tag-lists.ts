/**
 * @module Frozen tag lists shared between runner records: records are frozen and a write replaces a list, so every
 * runner with the same tags (in the same order) can hold one list. Seeding 100k runners and registering thousands
 * with the same tags would otherwise keep a small array (and its tag names) per runner, which each young-generation
 * collection copies.
 */
import { EMPTY_LIST } from './types.js'

interface TagNode {
  next: Map<string, TagNode>
  list: string[] | null
}

/** One frozen list per sequence of tags seen: a trie over the tags' strings (exact, no key to build per list). */
export class TagLists {
  #root = TagLists.#emptyRoot()
  #lists = 0

  /** `limit`: how many lists are kept; past it the pool starts again (lists already handed out stay valid). */
  constructor(readonly limit = Number.POSITIVE_INFINITY) {}

  /** The shared list holding `tags` in their order (the shared empty list for none). */
  of(tags: readonly string[]): string[] {
    let node = this.#walk(tags)
    if (node.list !== null) return node.list
    // Stryker disable next-line EqualityOperator: a pool one list larger is as good a bound
    if (this.#lists >= this.limit) {
      this.#root = TagLists.#emptyRoot()
      this.#lists = 0
      node = this.#walk(tags)
    }
    this.#lists++
    // An exact copy: an array grown by push keeps room for 17 (152 bytes where two tags take 32).
    return (node.list = Object.freeze(tags.slice()) as string[])
  }

  #walk(tags: readonly string[]): TagNode {
    let node = this.#root
    for (const tag of tags) {
      let next = node.next.get(tag)
      if (next === undefined) node.next.set(tag, (next = { next: new Map(), list: null }))
      node = next
    }
    return node
  }

  static #emptyRoot(): TagNode {
    return { next: new Map(), list: EMPTY_LIST }
  }
}
