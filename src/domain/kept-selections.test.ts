import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { statusesStableUntil } from './kept-selections.js'
import { listAllRunners, listOwnedRunners, runnerMatcher, type RunnerFilter } from './runners.js'
import { ONLINE_CONTACT_TIMEOUT_MS } from './status.js'
import type { Actor } from './permissions.js'

const NOW = Date.parse('2026-04-15T12:00:00Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR

function setup(gitlabVersion?: string) {
  const world = new MockWorld({ clock: NOW, ...(gitlabVersion ? { gitlabVersion } : {}) })
  const admin = [...world.store.state.users.values()].find((u) => u.isAdmin) as Actor['user']
  const actor = { user: admin, isAdmin: true } as Actor
  const list = (filter: RunnerFilter) => listAllRunners(world.store, actor, filter)
  const ids = (filter: RunnerFilter) => list(filter).map((r) => r.id)
  const fresh = (filter: RunnerFilter) => [...world.store.runners()].filter(runnerMatcher(filter, world.store.now(), world.store.profile.staleAfter, world.store)).map((r) => r.id)
  return { world, list, ids, fresh }
}

describe('runner lists kept between requests', () => {
  it('drop a runner from `online` at the instant its last contact is two hours old, not a millisecond later', () => {
    const { world, ids, fresh } = setup()
    const online = ids({ status: 'online' })
    expect(online.length).toBeGreaterThan(0)
    const first = Math.min(...online.map((id) => world.store.runner(id)!.contactedAt as number))
    world.clock.set(first + ONLINE_CONTACT_TIMEOUT_MS - 1)
    expect(ids({ status: 'online' })).toEqual(online)
    world.clock.set(first + ONLINE_CONTACT_TIMEOUT_MS)
    expect(ids({ status: 'online' })).toEqual(fresh({ status: 'online' }))
    expect(ids({ status: 'online' }).length).toBe(online.length - online.filter((id) => world.store.runner(id)!.contactedAt === first).length)
    expect(ids({ status: 'offline' })).toEqual(fresh({ status: 'offline' }))
  })

  it('follow the stale window as time passes (7 days from 17.1, 3 calendar months before) and when the clock goes back', () => {
    for (const version of ['18.11', '15.11']) {
      const { world, ids, fresh } = setup(version)
      const stale = ids({ status: 'stale' })
      for (const step of [6 * DAY, 1 * DAY, 25 * DAY, 40 * DAY, 30 * DAY, -100 * DAY]) {
        world.clock.advance(step)
        expect(ids({ status: 'stale' }), `${version} after ${step / DAY} days`).toEqual(fresh({ status: 'stale' }))
        expect(ids({ scope: 'online' })).toEqual(fresh({ scope: 'online' }))
      }
      world.clock.set(NOW)
      expect(ids({ status: 'stale' })).toEqual(stale)
    }
  })

  it('answer a repeated list from what the first walk kept', () => {
    const { list } = setup()
    expect(list({ type: 'project_type', status: 'online' })).toBe(list({ type: 'project_type', status: 'online' }))
    expect(list({ tagList: ['docker'] })).toBe(list({ tagList: ['docker'] }))
  })

  it('see every write at once: a paused runner leaves `active`, a deleted one every list', () => {
    const { world, ids } = setup()
    const active = ids({ status: 'active' })
    const runner = world.store.runner(active[0] as number)!
    world.store.updateRunner(runner, { active: false })
    expect(ids({ status: 'active' })).toEqual(active.slice(1))
    world.store.deleteRunner(world.store.runner(active[1] as number)!)
    expect(ids({})).not.toContain(active[1])
    world.reset()
    expect(ids({ status: 'active' })).toEqual(active)
  })

  it('mend a list after a write to one runner, and end it at that runner’s own next status change', () => {
    const { world, list, ids, fresh } = setup()
    const online = ids({ status: 'online' })
    const all = ids({})
    const runner = [...world.store.runners()].find((r) => !online.includes(r.id))!
    // Contacted so that it is online for one more minute: sooner than any other runner changes status.
    const kept = list({ status: 'online' })
    world.store.updateRunner(runner, { contactedAt: NOW - ONLINE_CONTACT_TIMEOUT_MS + 60_000 })
    expect(list({ status: 'online' })).toBe(kept) // mended, not walked again
    expect(ids({ status: 'online' })).toEqual(fresh({ status: 'online' }))
    expect(ids({ status: 'online' })).toContain(runner.id)
    expect(ids({})).toEqual(all)
    world.clock.advance(60_000)
    expect(ids({ status: 'online' })).toEqual(online)
    expect(ids({ status: 'online' })).toEqual(fresh({ status: 'online' }))
  })

  it('move the instant statuses stay stable until to a written runner’s own next change', () => {
    const { world } = setup()
    const store = world.store
    for (const type of [undefined, 'project_type'] as const) {
      const before = statusesStableUntil(store, type, NOW)
      expect(before).toBe(statusesStableUntil(store.fork(), type, NOW))
      const runner = [...(type === undefined ? store.runners() : store.runnersOfType(type))][0]!
      // Online for one more minute: sooner than any other runner changes status.
      store.updateRunner(runner, { contactedAt: NOW - ONLINE_CONTACT_TIMEOUT_MS + 60_000 })
      expect(statusesStableUntil(store, type, NOW)).toBe(NOW + 60_000)
      expect(statusesStableUntil(store, type, NOW)).toBe(statusesStableUntil(store.fork(), type, NOW))
      expect(before).toBeGreaterThan(NOW + 60_000)
    }
  })

  it('mend a list with an added runner (last in id order) and a deleted one', () => {
    const { world, list, ids } = setup()
    const before = ids({ type: 'instance_type' })
    const kept = list({ type: 'instance_type' })
    const template = world.store.runner(before[0] as number)!
    const id = world.store.nextId('runner')
    world.store.insertRunner({ ...template, id, token: `glrt-added-${id}`, description: 'added' })
    const after = list({ type: 'instance_type' })
    expect(after).toBe(kept) // mended, not walked again
    expect(after.map((r) => r.id)).toEqual([...before, id])
    expect(after[after.length - 1]!.description).toBe('added')
    world.store.deleteRunner(template)
    expect(ids({ type: 'instance_type' })).toEqual([...before.slice(1), id])
  })

  it('keep mending a list read after each write, past the length of the store’s log of writes', () => {
    const { world, list, ids, fresh } = setup()
    const kept = list({ type: 'project_type' })
    const runner = kept[0]!
    for (let i = 0; i < 600; i++) {
      world.store.updateRunner(world.store.runner(runner.id)!, { description: `write ${i}` })
      expect(list({ type: 'project_type' })).toBe(kept)
    }
    expect(kept[0]!.description).toBe('write 599')
    expect(ids({ type: 'project_type' })).toEqual(fresh({ type: 'project_type' }))
  })

  it('list in ascending id order, and mend, runners a fixture gave out of id order (explicit ids)', () => {
    const world = new MockWorld({
      clock: NOW,
      fixture: { users: [{ username: 'root', admin: true }], runners: [{ runner_type: 'instance_type' }, { id: 3, runner_type: 'instance_type' }, { runner_type: 'instance_type' }] },
    })
    const admin = [...world.store.state.users.values()].find((u) => u.isAdmin) as Actor['user']
    const list = () => listAllRunners(world.store, { user: admin, isAdmin: true } as Actor, {})
    const ids = () => list().map((r) => r.id)
    expect(ids()).toEqual([3, 4, 5]) // the fixture's order was 4, 3, 5 (ids it does not name come after those it does)
    expect([...world.store.runners()].map((r) => r.id)).toEqual([3, 4, 5])
    const kept = list()
    world.store.deleteRunner(world.store.runner(4)!)
    expect(list()).toBe(kept) // mended in place, not walked again
    expect(ids()).toEqual([3, 5])
    world.store.updateRunner(world.store.runner(3)!, { description: 'written' })
    expect(list()).toBe(kept)
    expect(list().find((r) => r.id === 3)!.description).toBe('written')
  })

  it('keep each user’s own runners apart', () => {
    const { world } = setup()
    const users = [...world.store.state.users.values()].filter((u) => !u.isAdmin)
    const lists = users.map((user) => listOwnedRunners(world.store, { user, isAdmin: false } as Actor, {}).map((r) => r.id).join())
    expect(new Set(lists).size).toBeGreaterThan(1)
    // Asked again in the other order, each user still gets their own list.
    const again = [...users].reverse().map((user) => listOwnedRunners(world.store, { user, isAdmin: false } as Actor, {}).map((r) => r.id).join())
    expect(again.reverse()).toEqual(lists)
  })
})
