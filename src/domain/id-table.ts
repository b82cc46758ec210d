/**
 * @module Records by integer id, walked in ascending id order, that fork in constant time (the runners' table).
 *
 * Ids are given out by a counter, so they are nearly dense: a record sits in an array slot at its id, which costs
 * a Map's hashing and buckets nothing on a write or a read (a runner's registration stores one), and a fork's
 * first write copies the array (a memory copy) where a Map would be rebuilt entry by entry. An id far past the
 * array's end (a fixture may name any id up to 2³¹ − 1) is kept in a Map beside it instead of growing the array
 * to it; walks merge the two by id. The ids a counter gives out after such an id land in the Map too: a world
 * seeded so pays a Map's costs again, and a walk after each change to the Map sorts its ids once.
 *
 * A walk is in ascending id order whatever order the records were added in: GitLab's lists come in id order
 * (its pagination orders by id when nothing else does), and so does everything walked from this table.
 */

/** How far past the array's end an id still gets a slot (the array grows to it; the slots between stay empty). */
const MAX_GAP = 1024

export class IdTable<V> implements Iterable<[number, V]> {
  /** The records by id, for ids below its length (empty slots are undefined). */
  #slots: (V | undefined)[]
  /** Records whose id came too far past the array's end when first added, or is no array index. */
  #far: Map<number, V>
  /** `#far`'s ids in ascending order, made when a walk needs them and dropped when `#far` changes. */
  #farIds: number[] | undefined
  #size: number
  /** The arrays are shared with a fork (or its source): the first write copies them. */
  #shared: boolean

  constructor(entries?: Iterable<readonly [number, V]>) {
    this.#slots = []
    this.#far = new Map()
    this.#farIds = undefined
    this.#size = 0
    this.#shared = false
    if (entries) for (const [id, value] of entries) this.set(id, value)
  }

  /** A copy that shares this table's records until one of the two writes. */
  fork(): IdTable<V> {
    this.#shared = true
    const copy = new IdTable<V>()
    copy.#slots = this.#slots
    copy.#far = this.#far
    copy.#farIds = this.#farIds
    copy.#size = this.#size
    copy.#shared = true
    return copy
  }

  get size(): number {
    return this.#size
  }

  get(id: number): V | undefined {
    const slot = this.#slots[id]
    // An id past the slots reads undefined there (no array index reads the prototype: it holds no numbered keys).
    return slot !== undefined || this.#far.size === 0 ? slot : this.#far.get(id)
  }

  has(id: number): boolean {
    return this.get(id) !== undefined
  }

  set(id: number, value: V): this {
    if (value === undefined) throw new TypeError('an IdTable holds no undefined records')
    this.#own()
    const slots = this.#slots
    if (id < slots.length && slots[id] !== undefined) {
      slots[id] = value
      return this
    }
    if (this.#far.size > 0 && this.#far.has(id)) {
      this.#far.set(id, value)
      return this
    }
    this.#size++
    if (Number.isInteger(id) && id >= 0 && id <= slots.length + MAX_GAP) {
      while (slots.length < id) slots.push(undefined)
      slots[id] = value
    } else {
      this.#far.set(id, value)
      this.#farIds = undefined
    }
    return this
  }

  delete(id: number): boolean {
    if (!this.has(id)) return false
    this.#own()
    this.#size--
    if (this.#slots[id] !== undefined) this.#slots[id] = undefined
    else {
      this.#far.delete(id)
      this.#farIds = undefined
    }
    return true
  }

  /**
   * Every [id, record] in ascending id order. A walk sees writes made during it, as a Map's does: a changed record
   * where the walk has not passed yet, an added one past it, not a deleted one; if the write copied the table (it
   * was shared with a fork), the walk goes on over the table as it was.
   */
  *entries(): Generator<[number, V], undefined, undefined> {
    const slots = this.#slots
    const farIds = this.#far.size === 0 ? NO_IDS : this.#sortedFarIds()
    const far = this.#far
    let f = 0
    for (let id = 0; id < slots.length; id++) {
      const value = slots[id]
      if (value === undefined) continue
      // A far id below a slot's: every far id was past the slots' end when it came, but the slots may have grown since.
      while (f < farIds.length && (farIds[f] as number) < id) {
        const farId = farIds[f++] as number
        const farValue = far.get(farId)
        if (farValue !== undefined) yield [farId, farValue]
      }
      yield [id, value]
    }
    while (f < farIds.length) {
      const farId = farIds[f++] as number
      const farValue = far.get(farId)
      if (farValue !== undefined) yield [farId, farValue]
    }
  }

  *values(): Generator<V, undefined, undefined> {
    if (this.#far.size === 0) {
      const slots = this.#slots
      for (let id = 0; id < slots.length; id++) {
        const value = slots[id]
        if (value !== undefined) yield value
      }
      return
    }
    for (const [, value] of this.entries()) yield value
  }

  *keys(): Generator<number, undefined, undefined> {
    for (const [id] of this.entries()) yield id
  }

  [Symbol.iterator](): Generator<[number, V], undefined, undefined> {
    return this.entries()
  }

  #sortedFarIds(): number[] {
    this.#farIds ??= [...this.#far.keys()].sort((a, b) => a - b)
    return this.#farIds
  }

  #own(): void {
    if (!this.#shared) return
    this.#slots = this.#slots.slice()
    this.#far = this.#far.size === 0 ? new Map() : new Map(this.#far)
    this.#shared = false
  }
}

const NO_IDS: readonly number[] = []
