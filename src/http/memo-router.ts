/**
 * @module A router that remembers its answers. Hono's default router settles on its trie router for this app (the
 * regular-expression router refuses a static route beside a parameter route, such as `/runners/all` beside
 * `/runners/:id`), so the trie router is wrapped directly, without the first request's failed attempt to build the
 * other. Walking the trie (splitting the path, then a search) took 2–3 µs of a read answered from kept text in
 * 40–50. Clients ask for the same few paths over and over, so each method and path's match is kept and given again;
 * routes are all added before the first request, and an add (Hono allows it later too) forgets what was kept. At most {@link MAX_REMEMBERED} are kept; when full, all are dropped and kept afresh (an id
 * scan costs one clear per that many requests).
 */
import type { Result, Router } from 'hono/router'
import { TrieRouter } from 'hono/router/trie-router'

export const MAX_REMEMBERED = 1024

/** A string with memory of its own: its UTF-16 code units copied (exact for any string). */
const copyOf = (text: string): string => Buffer.from(text, 'utf16le').toString('utf16le')

export class MemoRouter<T> implements Router<T> {
  readonly #inner: Router<T>
  readonly #kept = new Map<string, Result<T>>()

  /** Around Hono's trie router unless another is given. */
  constructor(inner: Router<T> = new TrieRouter<T>()) {
    this.#inner = inner
  }

  /** Named after the router it wraps. */
  get name(): string {
    return `MemoRouter(${this.#inner.name})`
  }

  add(method: string, path: string, handler: T): void {
    this.#kept.clear()
    this.#inner.add(method, path, handler)
  }

  /** The inner router's result, the same object for the same method and path (Hono only reads it). */
  match(method: string, path: string): Result<T> {
    const result = this.#kept.get(`${method} ${path}`)
    if (result !== undefined) return result
    // A path cut from the request's URL shares the URL's memory (a V8 sliced string), and so would the kept key and
    // the params cut from it: matched and kept from a copy, a kept match holds the path and no more of the URL.
    const own = copyOf(path)
    const made = this.#inner.match(method, own)
    if (this.#kept.size >= MAX_REMEMBERED) this.#kept.clear()
    this.#kept.set(`${method} ${own}`, made)
    return made
  }

  /** How many matches are kept (for the tests). */
  get size(): number {
    return this.#kept.size
  }
}
