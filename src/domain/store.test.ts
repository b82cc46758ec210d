import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { addRecords } from '../control/records.js'
import { RUNNER_TYPES, type Runner } from './types.js'
import { MockWorld } from '../world.js'

const HOUR = 3_600_000

const BUILT = Date.parse('2026-03-01T10:00:00Z')

/** A world built under (faked) real time and reset two hours later: every record's times move by two hours. */
function movedWorld(): { world: MockWorld; templateOf: (id: number) => Runner | undefined; shift: number } {
  vi.setSystemTime(BUILT)
  const world = new MockWorld()
  const template = world.template.store
  vi.setSystemTime(BUILT + 2 * HOUR)
  world.reset()
  return { world, templateOf: (id) => template.runner(id), shift: 2 * HOUR }
}

/** Every way a store shows its runners agrees, and a runner no write touched shows the template's times moved by `shift`. */
function expectInFrame(world: MockWorld, templateOf: (id: number) => Runner | undefined, shift: number, written: Set<number>): void {
  const store = world.store
  const walked = [...store.runners()]
  const byType = RUNNER_TYPES.flatMap((type) => [...store.runnersOfType(type)]).sort((a, b) => a.id - b.id)
  expect(byType).toEqual(walked)
  for (const runner of walked) {
    expect(store.runner(runner.id)).toBe(runner)
    const original = templateOf(runner.id)
    if (original === undefined || written.has(runner.id)) continue
    expect(runner.createdAt).toBe(original.createdAt + shift)
    expect(runner.contactedAt).toBe(original.contactedAt === null ? null : original.contactedAt + shift)
  }
}

describe('Store with moved times (reset under real time)', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }))
  afterEach(() => void vi.useRealTimers())

  it('shows every runner in frame after any order of reads, writes, deletes, snapshots and added records', () => {
    // Fixed sequences of operations drawn from a small generator: reads of one runner or of a type
    // before the whole walk, deletes of runners never read, snapshots and restores in between.
    let state = 7
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648
      return state % n
    }
    for (let round = 0; round < 200; round++) {
      const { world, templateOf, shift } = movedWorld()
      const ids = [...world.template.store.runners()].map((r) => r.id)
      const written = new Set<number>()
      for (let step = 0; step < 12; step++) {
        const id = ids[next(ids.length)] as number
        const runner = world.store.runner(id)
        switch (next(7)) {
          case 0:
            if (runner) world.store.deleteRunner(runner)
            break
          case 1:
            if (runner) {
              world.store.updateRunner(runner, { description: `step ${step}` })
              written.add(id)
            }
            break
          case 2:
            void [...world.store.runnersOfType(RUNNER_TYPES[next(RUNNER_TYPES.length)]!)]
            break
          case 3:
            world.snapshot('s')
            break
          case 4:
            world.restore('s')
            break
          case 5:
            addRecords(world, { runners: [{ runner_type: 'instance_type', description: `added ${step}` }] })
            break
          default:
            world.store.runner(ids[next(ids.length)] as number)
        }
      }
      // Checked once at the end: the check reads every runner, which leaves none to be moved.
      expectInFrame(world, templateOf, shift, written)
    }
  })

  it('deleting runners already read leaves the unread ones to be moved', () => {
    const { world, templateOf, shift } = movedWorld()
    const ids = [...world.template.store.runners()].map((r) => r.id)
    expect(ids.length).toBeGreaterThan(4)
    // Read (in frame) and delete the first half: the second half is still the template's records.
    for (const id of ids.slice(0, Math.ceil(ids.length / 2))) world.store.deleteRunner(world.store.runner(id) as Runner)
    expectInFrame(world, templateOf, shift, new Set())
    expect([...world.store.runners()].map((r) => r.id)).toEqual(ids.slice(Math.ceil(ids.length / 2)))
  })

  it('a snapshot taken before any read restores runners still to be moved', () => {
    const { world, templateOf, shift } = movedWorld()
    world.snapshot('start')
    world.store.runner(1)
    world.restore('start')
    expectInFrame(world, templateOf, shift, new Set())
  })

  it('deleting a runner never read leaves the others to be moved', () => {
    const { world, templateOf, shift } = movedWorld()
    const template = world.template.store
    const first = [...template.runners()][0] as Runner
    // Delete through the record the store holds without reading it in frame (the raw base record).
    world.store.deleteRunner(first)
    expect(world.store.runner(first.id)).toBeUndefined()
    expectInFrame(world, templateOf, shift, new Set())
  })
})

describe("Store: a record's lists", () => {
  it('a write keeps the frozen lists it does not change, a first read in a moved frame shares them, and an owned record gets its own', () => {
    const { world, templateOf } = movedWorld()
    const store = world.store
    const runner = [...store.runners()].find((r) => r.tagList.length > 0 && r.projectIds.length > 0) as Runner
    // The first read after the reset moved the record's times and kept the template's lists.
    expect(runner.tagList).toBe(templateOf(runner.id)?.tagList)
    const updated = store.updateRunner(runner, { description: 'lists kept' })
    expect(updated.tagList).toBe(runner.tagList)
    expect(updated.projectIds).toBe(runner.projectIds)
    // A new writable list is copied (its caller may still hold it); a frozen one is taken as it is.
    const tags = ['a', 'b']
    const retagged = store.updateRunner(updated, { tagList: tags })
    expect(retagged.tagList).toEqual(tags)
    expect(retagged.tagList).not.toBe(tags)
    expect(Object.isFrozen(retagged.tagList)).toBe(true)
    const emptied = store.updateRunner(retagged, { tagList: Object.freeze([]) as unknown as string[] })
    expect(emptied.tagList).toEqual([])
    // An owned record (tests that corrupt state) can change its lists without touching the shared ones.
    const owned = store.ownRunner(emptied)
    owned.tagList.push('x')
    owned.projectIds.push(999)
    expect(emptied.tagList).toEqual([])
    expect(updated.projectIds).not.toContain(999)
  })
})
