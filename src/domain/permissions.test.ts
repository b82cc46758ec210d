/** @module The authorization rules that moved out of the route handlers, on the default world: who finds a project or group for its runner endpoints, and which links a runner's details show a viewer. */
import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { ForbiddenError, NotFoundError } from './errors.js'
import { findMaintainedProject, findOwnedGroup, runnerLinksVisibleTo, type Actor } from './permissions.js'
import { resetInstanceRegistrationToken } from './runner-tokens.js'
import { listAllRunners } from './runners.js'

const world = new MockWorld()
const store = world.store
const actor = (id: number): Actor => {
  const user = store.user(id)!
  return { user, isAdmin: user.isAdmin }
}
const [root, alice, bob, carol, dave, erin] = [1, 2, 3, 4, 5, 6].map(actor) as [Actor, Actor, Actor, Actor, Actor, Actor]

describe('findMaintainedProject', () => {
  it('finds a project by id or full path for its Maintainers and admins', () => {
    expect(findMaintainedProject(store, bob, '100').id).toBe(100)
    expect(findMaintainedProject(store, bob, 'acme/backend/api').id).toBe(100)
    expect(findMaintainedProject(store, root, '104').id).toBe(104)
  })
  it('is 403 for a member below Maintainer and 404 for one who cannot see the project', () => {
    expect(() => findMaintainedProject(store, carol, '100')).toThrow(ForbiddenError)
    expect(() => findMaintainedProject(store, erin, '100')).toThrow(NotFoundError)
  })
})

describe('findOwnedGroup', () => {
  it('finds a group for its Owner (also below it) and admins, 403 for others who see it, 404 otherwise', () => {
    expect(findOwnedGroup(store, alice, 'acme/backend').id).toBe(11)
    expect(findOwnedGroup(store, root, '10').id).toBe(10)
    expect(() => findOwnedGroup(store, bob, '10')).toThrow(ForbiddenError)
    expect(() => findOwnedGroup(store, erin, '10')).toThrow(NotFoundError)
  })
})

describe('admin-only operations check their caller', () => {
  it('lists every runner for admins only', () => {
    expect(listAllRunners(store, root, {}).length).toBeGreaterThan(0)
    expect(() => listAllRunners(store, alice, {})).toThrow(ForbiddenError)
  })
  it('resets the instance registration token for admins only', () => {
    const fresh = new MockWorld().store
    expect(() => resetInstanceRegistrationToken(fresh, bob)).toThrow(ForbiddenError)
    expect(resetInstanceRegistrationToken(fresh, root)).toEqual(expect.any(String))
  })
})

describe('runnerLinksVisibleTo', () => {
  const runner7 = store.runner(7)! // projects 100 and 101
  const runner4 = store.runner(4)! // group acme
  it('shows admins every linked project, by id', () => {
    expect(runnerLinksVisibleTo(store, root, runner7).projects.map((p) => p.id)).toEqual([100, 101])
  })
  it('shows others only the projects they are a member of', () => {
    expect(runnerLinksVisibleTo(store, dave, runner7).projects.map((p) => p.id)).toEqual([100])
    expect(runnerLinksVisibleTo(store, erin, runner7).projects).toEqual([])
    expect(runnerLinksVisibleTo(store, null, runner7).projects).toEqual([])
  })
  it('shows the group to its members and admins only, and not to a viewer who is not signed in', () => {
    expect(runnerLinksVisibleTo(store, alice, runner4).group?.id).toBe(10)
    expect(runnerLinksVisibleTo(store, root, runner4).group?.id).toBe(10)
    expect(runnerLinksVisibleTo(store, erin, runner4).group).toBeUndefined()
    expect(runnerLinksVisibleTo(store, null, runner4).group).toBeUndefined()
  })
})
