/** @module A Map that forks in constant time: the fork and its source share one inner map until either writes, which then copies it once. */

export class CowMap<K, V> implements Iterable<[K, V]> {
  #map: Map<K, V>
  #shared: boolean

  constructor(entries?: Map<K, V> | Iterable<readonly [K, V]>, shared = false) {
    this.#map = entries instanceof Map && shared ? entries : new Map(entries)
    this.#shared = shared
  }

  /** A copy that shares this map's entries until one of the two writes. */
  fork(): CowMap<K, V> {
    this.#shared = true
    return new CowMap(this.#map, true)
  }

  get size(): number {
    return this.#map.size
  }

  get(key: K): V | undefined {
    return this.#map.get(key)
  }

  has(key: K): boolean {
    return this.#map.has(key)
  }

  keys(): MapIterator<K> {
    return this.#map.keys()
  }

  /** Iterating while writing is safe: a write during the walk copies the map and the walk goes on over the old one. */
  values(): MapIterator<V> {
    return this.#map.values()
  }

  entries(): MapIterator<[K, V]> {
    return this.#map.entries()
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map.entries()
  }

  set(key: K, value: V): this {
    this.#own().set(key, value)
    return this
  }

  delete(key: K): boolean {
    return this.#map.has(key) ? this.#own().delete(key) : false
  }

  #own(): Map<K, V> {
    if (this.#shared) {
      this.#map = new Map(this.#map)
      this.#shared = false
    }
    return this.#map
  }
}
