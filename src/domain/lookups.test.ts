import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { findUser, fuzzyMatches, listGroups, listProjects, listUsers } from './lookups.js'
import type { Actor } from './permissions.js'
import { NotFoundError } from './errors.js'

const world = () => new MockWorld({ clock: '2026-01-15T12:00:00.000Z' })
const actor = (w: MockWorld, username: string): Actor => {
  const user = w.store.userByUsername(username)
  if (!user) throw new Error(`no user ${username}`)
  return { user, isAdmin: user.isAdmin }
}

describe('fuzzyMatches', () => {
  it.each([
    ['api', ['API'], true],
    ['ap', ['API'], false],
    ['API', ['the api'], true],
    ['ack', ['backend'], true],
    ['AP', ['ap'], true],
    ['', ['anything'], true],
    ['xyz', [null, 'abc'], false],
  ] as const)('%j against %j is %s (substring from three characters, whole column below)', (term, columns, expected) => {
    expect(fuzzyMatches(term, columns)).toBe(expected)
  })
})

describe('listProjects', () => {
  it('breaks created_at ties by id in the same direction', () => {
    const w = world()
    for (const p of w.store.state.projects.values()) p.createdAt = 0
    const asc = listProjects(w.store, actor(w, 'root'), { sort: 'asc' }).map((p) => p.id)
    expect(asc).toEqual([...asc].sort((a, b) => a - b))
    const desc = listProjects(w.store, actor(w, 'root'), {}).map((p) => p.id)
    expect(desc).toEqual([...asc].reverse())
  })

  it('ignores statistics ordering for non-admins (created_at instead)', () => {
    const w = world()
    const bob = actor(w, 'bob')
    expect(listProjects(w.store, bob, { orderBy: 'storage_size' })).toEqual(listProjects(w.store, bob, {}))
  })

  it('ignores owned and membership for anonymous callers, who see public projects', () => {
    const w = world()
    const all = listProjects(w.store, null, {})
    expect(listProjects(w.store, null, { owned: true, membership: true })).toEqual(all)
    expect(all.every((p) => p.visibility === 'public')).toBe(true)
  })
})

describe('listGroups', () => {
  it('gives an admin with all_available=false only the groups of their own memberships', () => {
    const w = world()
    const root = actor(w, 'root')
    expect(listGroups(w.store, root, { allAvailable: false })).toEqual([])
    expect(listGroups(w.store, root, {}).length).toBe(w.store.state.groups.size)
  })

  it('puts ancestors of a member project in the hierarchy (bob reaches acme through acme/backend/api)', () => {
    const w = world()
    const paths = listGroups(w.store, actor(w, 'bob'), {}).map((g) => w.store.groupFullPath(g))
    expect(paths).toEqual(['acme', 'acme/backend', 'opensource'])
  })

  it('filters top-level groups only', () => {
    const w = world()
    expect(listGroups(w.store, actor(w, 'root'), { topLevelOnly: true }).every((g) => g.parentId === null)).toBe(true)
  })
})

describe('users', () => {
  it('throws 404 User Not Found for an unknown id', () => {
    expect(() => findUser(world().store, 999)).toThrow(new NotFoundError('User'))
  })

  it('matches usernames case-insensitively and searches names', () => {
    const w = world()
    expect(listUsers(w.store, null, { username: 'ALICE' }).map((u) => u.id)).toEqual([2])
    expect(listUsers(w.store, null, { search: 'maintainer' }).map((u) => u.username)).toEqual(['frank', 'bob'])
  })
})
