import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IdTable } from './id-table.js'

/** What a table should hold: a Map, read in ascending id order. */
const sorted = (model: Map<number, string>) => [...model].sort((a, b) => a[0] - b[0])

function expectSame(table: IdTable<string>, model: Map<number, string>): void {
  const want = sorted(model)
  expect([...table]).toEqual(want)
  expect([...table.entries()]).toEqual(want)
  expect([...table.values()]).toEqual(want.map(([, v]) => v))
  expect([...table.keys()]).toEqual(want.map(([k]) => k))
  expect(table.size).toBe(model.size)
  for (const [id, value] of want) {
    expect(table.get(id)).toBe(value)
    expect(table.has(id)).toBe(true)
  }
}

/** Ids near the array's end, far past it (a fixture's), and the largest a fixture may name. */
const ids = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 3000, max: 2_147_483_647 }), fc.constant(2_147_483_647))

type Op =
  | { kind: 'set'; table: number; id: number; value: string }
  | { kind: 'delete'; table: number; id: number }
  | { kind: 'fork'; table: number }

const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), table: fc.nat(3), id: ids, value: fc.string({ minLength: 1, maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), table: fc.nat(3), id: ids }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const), table: fc.nat(3) }) },
  ),
  { maxLength: 80 },
)

describe('IdTable: records by id, walked in id order, forked copy-on-write', () => {
  it('hold what a Map holds, in ascending id order, through sets, deletes and forks (each fork apart from its source)', () => {
    fc.assert(
      fc.property(ops, (script: Op[]) => {
        const tables: IdTable<string>[] = [new IdTable()]
        const models: Map<number, string>[] = [new Map()]
        for (const op of script) {
          const i = op.table % tables.length
          const table = tables[i] as IdTable<string>
          const model = models[i] as Map<number, string>
          if (op.kind === 'set') {
            expect(table.set(op.id, op.value)).toBe(table)
            model.set(op.id, op.value)
          } else if (op.kind === 'delete') {
            expect(table.delete(op.id)).toBe(model.delete(op.id))
          } else {
            tables.push(table.fork())
            models.push(new Map(model))
          }
          expect(table.get(op.kind === 'fork' ? -1 : op.id)).toBe(op.kind === 'fork' ? undefined : model.get(op.id))
        }
        tables.forEach((table, i) => expectSame(table, models[i] as Map<number, string>))
      }),
      { numRuns: 300 },
    )
  })

  it('walk a fixture’s ids in id order whatever order they came in, far ones merged where they fall', () => {
    const table = new IdTable<string>([
      [40, 'a'],
      [2_000_000, 'far'],
      [7, 'b'],
      [1_500, 'c'],
    ])
    // 2,000,000 came far past the array's end; then the array grows past 1,500 by ids given out one by one.
    for (let id = 41; id <= 2_100; id++) table.set(id, `n${id}`)
    table.set(1_999_999, 'far-below')
    const keys = [...table.keys()]
    expect(keys).toEqual([...keys].sort((a, b) => a - b))
    expect(keys.slice(0, 3)).toEqual([7, 40, 41])
    expect(keys.slice(-2)).toEqual([1_999_999, 2_000_000])
    expect(table.size).toBe(4 + 2_059 + 1) // 41 to 2,100 added 2,059 (1,500 was there: set again, kept apart)
    expect(table.get(1_500)).toBe('n1500')
  })

  it('give undefined for ids it does not hold, also past its end and below 0, and refuse an undefined record', () => {
    const table = new IdTable<string>([[1, 'x']])
    for (const id of [0, 2, 10_000, -1, 1.5, Number.MAX_SAFE_INTEGER]) {
      expect(table.get(id)).toBeUndefined()
      expect(table.has(id)).toBe(false)
      expect(table.delete(id)).toBe(false)
    }
    expect(() => table.set(3, undefined as unknown as string)).toThrow(TypeError)
    expect(table.size).toBe(1)
  })

  it('share its records with a fork until one writes: the source’s later writes are not the fork’s, nor the fork’s the source’s', () => {
    const source = new IdTable<string>([
      [1, 'one'],
      [5_000_000, 'far'],
    ])
    const fork = source.fork()
    source.set(1, 'source').set(2, 'two')
    fork.delete(5_000_000)
    fork.set(3, 'three')
    expect([...source]).toEqual([
      [1, 'source'],
      [2, 'two'],
      [5_000_000, 'far'],
    ])
    expect([...fork]).toEqual([
      [1, 'one'],
      [3, 'three'],
    ])
  })

  it('see, in a walk, the writes made during it as a Map walk does, and keep walking its source when a write copies it', () => {
    const table = new IdTable<string>([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
    const seen: [number, string][] = []
    for (const entry of table) {
      seen.push(entry)
      if (entry[0] === 1) {
        table.set(2, 'B')
        table.delete(3)
        table.set(4, 'd')
      }
    }
    expect(seen).toEqual([
      [1, 'a'],
      [2, 'B'],
      [4, 'd'],
    ])
    const walked: number[] = []
    const fork = table.fork()
    for (const [id] of table) {
      walked.push(id)
      if (id === 1) table.set(9, 'copied') // the table was shared with the fork: this write copies it
    }
    expect(walked).toEqual([1, 2, 4])
    expect(fork.has(9)).toBe(false)
    expect(table.get(9)).toBe('copied')
  })
})
