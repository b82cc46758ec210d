/** @module Tests of the store invariants: a fresh world is consistent, and each kind of corruption is named. */
import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { assertStoreInvariants, storeProblems } from './invariants.js'
import type { Store } from './store.js'

function freshStore(): Store {
  return new MockWorld({ clock: '2026-01-15T12:00:00.000Z' }).store
}

function runnerOfType(store: Store, type: string) {
  const runner = [...store.state.runners.values()].find((r) => r.runnerType === type)
  if (!runner) throw new Error(`the default world has no ${type} runner`)
  return store.ownRunner(runner) // corrupted behind the store's back, on this store's own copy

}

describe('store invariants', () => {
  it('hold for the default world and after reset', () => {
    const world = new MockWorld()
    expect(storeProblems(world.store)).toEqual([])
    world.reset()
    expect(() => assertStoreInvariants(world.store)).not.toThrow()
  })

  it('name a project runner linked to a missing project', () => {
    const store = freshStore()
    const runner = runnerOfType(store, 'project_type')
    runner.projectIds.push(987654)
    expect(storeProblems(store)).toEqual([`runner ${runner.id} links missing project 987654`])
  })

  it('name a group runner whose group is gone, and a group runner with projects', () => {
    const store = freshStore()
    const runner = runnerOfType(store, 'group_type')
    const groupId = runner.groupId as number
    store.state.groups.delete(groupId)
    expect(storeProblems(store)).toContain(`runner ${runner.id} links missing group ${groupId}`)
    const other = freshStore()
    const g = runnerOfType(other, 'group_type')
    g.projectIds = [[...other.state.projects.keys()][0] as number]
    expect(storeProblems(other)).toEqual([`runner ${g.id} is group_type but has group ${g.groupId} and 1 projects`])
  })

  it('name an instance runner with links and a project runner without projects', () => {
    const store = freshStore()
    const shared = runnerOfType(store, 'instance_type')
    shared.groupId = [...store.state.groups.keys()][0] as number
    const project = runnerOfType(store, 'project_type')
    project.projectIds = []
    expect(storeProblems(store)).toEqual([
      ...(project.id < shared.id ? [`runner ${project.id} is project_type but has 0 projects and group null`] : []),
      `runner ${shared.id} is instance_type but has group ${shared.groupId} and 0 projects`,
      ...(project.id > shared.id ? [`runner ${project.id} is project_type but has 0 projects and group null`] : []),
    ])
  })

  it('name a token shared by two runners, and a token index that does not lead back', () => {
    const store = freshStore()
    const [a, b] = [...store.state.runners.values()].map((r) => store.ownRunner(r))
    if (!a || !b) throw new Error('need two runners')
    b.token = a.token // written behind the store's back: the index still maps b's old token
    const problems = storeProblems(store)
    expect(problems).toContain(`runner ${b.id} and runner ${a.id} share a token`)
    expect(problems).toContain(`runner ${b.id}: the token index does not lead back to it`)
  })

  it('name a runner token equal to a registration token or a personal access token', () => {
    const store = freshStore()
    const runner = runnerOfType(store, 'instance_type')
    store.setRunnerToken(runner, store.state.settings.registrationToken, null)
    expect(storeProblems(store)).toEqual([`runner ${runner.id} and the instance registration token share a token`])
    const other = freshStore()
    const pat = [...other.state.tokens.values()][0]
    const r = runnerOfType(other, 'instance_type')
    other.setRunnerToken(r, pat?.token as string, null)
    expect(storeProblems(other)).toEqual([`a personal access token of user ${pat?.userId} and runner ${r.id} share a token`])
  })

  it('name a stale token index entry found by probing a replaced token', () => {
    const store = freshStore()
    const runner = runnerOfType(store, 'instance_type')
    const old = runner.token
    runner.token = 'ReplacedBehindTheIndex01' // not through setRunnerToken: the index keeps the old token
    expect(storeProblems(store, [old])).toEqual([
      `runner ${runner.id}: the token index does not lead back to it`,
      `the token index maps a stale token to runner ${runner.id}`,
    ])
  })

  it('name a counter that would hand out an id already in use, and a record stored under another id', () => {
    const store = freshStore()
    const max = Math.max(...store.state.runners.keys())
    store.state.counters.runner = max
    expect(storeProblems(store)).toEqual([`the runner counter ${max} is not above id ${max}`])
    const other = freshStore()
    const user = [...other.state.users.values()][0]
    if (!user) throw new Error('no users')
    other.state.users.set(user.id + 100000, user)
    other.state.counters.user = user.id + 100001
    expect(storeProblems(other)).toEqual([`user stored under ${user.id + 100000} has id ${user.id}`])
  })

  it('throw one error listing every problem', () => {
    const store = freshStore()
    const runner = runnerOfType(store, 'project_type')
    runner.projectIds.push(runner.projectIds[0] as number)
    expect(() => assertStoreInvariants(store)).toThrow(`store invariants broken:\n  runner ${runner.id} links a project twice`)
  })
})
