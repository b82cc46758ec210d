import { describe, expect, it } from 'vitest'
import { addRunnerJob, contactRunner } from '../control/records.js'
import { deleteManagerOfRunner, latestManager } from '../domain/managers.js'
import { verifyRunner } from '../domain/runner-tokens.js'
import { disableRunnerInProject, enableRunnerInProject, updateRunner } from '../domain/runners.js'
import { copyState, type Store } from '../domain/store.js'
import { AccessLevel, type Runner } from '../domain/types.js'
import { MockWorld } from '../world.js'
import { runnerDetailsEntity, runnerEntity, type EntityContext } from './entities.js'
import { runnerDetailsText, runnerText, writtenRunnerDetailsText } from './entity-text.js'

const NOW = '2026-01-15T12:00:00Z'

function ctxOf(store: Store): EntityContext {
  const admin = [...store.state.users.values()].find((u) => u.isAdmin)
  if (!admin) throw new Error('the default world has an admin')
  return { store, baseUrl: 'http://gitlab.test', actor: { user: admin, isAdmin: true } as EntityContext['actor'] }
}

const details = (runner: Runner, ctx: EntityContext) => JSON.parse(runnerDetailsText(runner, ctx)) as Record<string, unknown>
const fresh = (store: Store, id: number) => store.runner(id) as Runner

describe('cached runner texts follow what the entities show besides the record', () => {
  it("from 17.0 a manager's heartbeat changes the details' version fields: the cached text is rebuilt", () => {
    const world = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const { store } = world
    const ctx = ctxOf(store)
    const runner = [...store.runners()].find((r) => r.tokenExpiresAt === null || r.tokenExpiresAt > store.now()) as Runner
    const before = details(runner, ctx) // fills the cache
    expect(before.version).not.toBe('18.1.7')
    verifyRunner(store, runner.token, { ipAddress: '10.0.0.9', systemId: 's_0123456789ab', info: { version: '18.1.7', revision: 'abc12345' } })
    const after = fresh(store, runner.id)
    expect(details(after, ctx).version).toBe('18.1.7')
    expect(runnerDetailsText(after, ctx)).toBe(JSON.stringify(runnerDetailsEntity(after, ctx)))
    // A contact recorded through the control API reaches the manager too.
    contactRunner(world, runner.id, { system_id: 's_0123456789ab', version: '18.2.0' })
    expect(details(fresh(store, runner.id), ctx).version).toBe('18.2.0')
  })

  it("deleting a runner's latest manager (the runner itself unchanged) rebuilds the details' version fields", () => {
    const { store } = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const ctx = ctxOf(store)
    const runner = [...store.runners()].find((r) => new Set(store.managersOf(r.id).map((m) => m.version)).size > 1) as Runner
    expect(runner).toBeDefined()
    const latest = latestManager(store, runner.id)!
    expect(details(runner, ctx).version).toBe(latest.version) // fills the cache
    deleteManagerOfRunner(store, runner, latest.systemId)
    const next = latestManager(store, runner.id)!
    expect(next.version).not.toBe(latest.version)
    expect(details(fresh(store, runner.id), ctx).version).toBe(next.version)
  })

  it('from 18.0 a running job added to a live world turns the list item active', () => {
    const world = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const { store } = world
    const ctx = ctxOf(store)
    const idle = [...store.runners()].find((r) => JSON.parse(runnerText(r, ctx)).job_execution_status === 'idle') as Runner
    expect(idle).toBeDefined()
    addRunnerJob(world, idle.id, { status: 'running' })
    const now = fresh(store, idle.id)
    expect(JSON.parse(runnerText(now, ctx)).job_execution_status).toBe('active')
    expect(runnerText(now, ctx)).toBe(JSON.stringify(runnerEntity(now, ctx)))
  })

  it('keys list texts by whether there is a caller (18.0 shows created_by only to one)', () => {
    const world = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const { store } = world
    const ctx = ctxOf(store)
    const anonymous: EntityContext = { ...ctx, actor: null }
    for (const runner of store.runners()) {
      expect(runnerText(runner, ctx)).toBe(JSON.stringify(runnerEntity(runner, ctx)))
      expect(runnerText(runner, anonymous)).toBe(JSON.stringify(runnerEntity(runner, anonymous)))
    }
  })
})

describe('details texts reuse the text of their links across records of a runner', () => {
  /** Every viewer class: nobody, an admin, and each active non-admin user (their memberships differ). */
  function viewers(store: Store): EntityContext[] {
    const admin = ctxOf(store)
    const users = [...store.state.users.values()].filter((u) => !u.isAdmin && u.state === 'active')
    return [{ ...admin, actor: null }, admin, ...users.map((user) => ({ ...admin, actor: { user, isAdmin: false } as EntityContext['actor'] }))]
  }
  const expectFresh = (runner: Runner, ctx: EntityContext) => {
    expect(writtenRunnerDetailsText(runner, ctx)).toBe(JSON.stringify(runnerDetailsEntity(runner, ctx)))
    expect(runnerDetailsText(runner, ctx)).toBe(JSON.stringify(runnerDetailsEntity(runner, ctx)))
    expect(runnerDetailsText(runner, ctx, { includeProjects: false })).toBe(JSON.stringify(runnerDetailsEntity(runner, ctx, { includeProjects: false })))
  }

  it('a write to scalar fields keeps the links each viewer class sees, and the text follows the new fields', () => {
    for (const version of ['15.11', '16.11', '18.11']) {
      const { store } = new MockWorld({ clock: NOW, gitlabVersion: version })
      const ctxs = viewers(store)
      const admin = ctxs[1]!.actor!
      for (const runner of [...store.runners()].slice(0, 12)) {
        for (const ctx of ctxs) expectFresh(runner, ctx) // fills the caches
        const next = updateRunner(store, admin, runner.id, { description: `renamed ${runner.id}`, tagList: ['a', 'b'], locked: !runner.locked })
        // The write's own answer first (no cache entry for the record yet), then the kept pieces.
        for (const ctx of ctxs) expect(writtenRunnerDetailsText(next, ctx)).toBe(JSON.stringify(runnerDetailsEntity(next, ctx)))
        for (const ctx of ctxs) {
          expectFresh(next, ctx)
          expect(JSON.parse(runnerDetailsText(next, ctx)).description).toBe(`renamed ${runner.id}`)
        }
      }
    }
  })

  it('linking and unlinking a project changes the projects every viewer class sees', () => {
    const { store } = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const ctxs = viewers(store)
    const admin = ctxs[1]!.actor!
    const runner = [...store.runners()].find((r) => r.runnerType === 'project_type') as Runner
    const other = [...store.state.projects.values()].find((p) => !runner.projectIds.includes(p.id))!
    for (const ctx of ctxs) expectFresh(runner, ctx)
    const linked = enableRunnerInProject(store, admin, other, runner.id)
    const ids = (r: Runner, ctx: EntityContext) => (JSON.parse(runnerDetailsText(r, ctx)).projects as Array<{ id: number }>).map((p) => p.id)
    expect(ids(linked, ctxs[1]!)).toContain(other.id)
    for (const ctx of ctxs) expectFresh(linked, ctx)
    disableRunnerInProject(store, other, runner.id)
    const unlinked = fresh(store, runner.id)
    expect(ids(unlinked, ctxs[1]!)).not.toContain(other.id)
    expect(ids(unlinked, ctxs[1]!)).toEqual(ids(runner, ctxs[1]!))
    for (const ctx of ctxs) expectFresh(unlinked, ctx)
  })

  it('a membership added to the world shows the new member the linked project (a new structure stamp)', () => {
    const world = new MockWorld({ clock: NOW, gitlabVersion: '18.11' })
    const admin = ctxOf(world.store)
    const pairs = [...world.store.runners()].flatMap((runner) =>
      runner.projectIds.flatMap((projectId) => {
        const project = world.store.project(projectId)!
        const user = [...world.store.state.users.values()].find((u) => !u.isAdmin && u.state === 'active' && world.store.projectAccessLevel(u.id, project) === 0)
        return user ? [{ runner, projectId, user }] : []
      }),
    )
    expect(pairs.length).toBeGreaterThan(0)
    const { runner, projectId, user } = pairs[0]!
    const as = (store: Store): EntityContext => ({ ...admin, store, actor: { user, isAdmin: false } as EntityContext['actor'] })
    const shown = (store: Store) => (JSON.parse(runnerDetailsText(fresh(store, runner.id), as(store))).projects as Array<{ id: number }>).map((p) => p.id)
    expect(shown(world.store)).not.toContain(projectId) // fills the caches
    const state = copyState(world.store.state)
    state.memberships.push({ source: 'project', sourceId: projectId, userId: user.id, accessLevel: AccessLevel.reporter })
    world.replaceState(state)
    expect(fresh(world.store, runner.id)).toBe(runner) // the same record: only the world around it changed
    expect(shown(world.store)).toContain(projectId)
    expectFresh(runner, as(world.store))
  })

  it('keys the links by base URL', () => {
    const { store } = new MockWorld({ clock: NOW, gitlabVersion: '17.11' })
    const ctx = ctxOf(store)
    const elsewhere = { ...ctx, baseUrl: 'https://gitlab.example.com:8443/prefix' }
    const runner = [...store.runners()].find((r) => r.projectIds.length > 0 || r.groupId !== null) as Runner
    expectFresh(runner, ctx)
    expectFresh(runner, elsewhere)
    const next = updateRunner(store, ctx.actor!, runner.id, { description: 'moved' })
    expectFresh(next, elsewhere)
    expectFresh(next, ctx)
    expect(runnerDetailsText(next, elsewhere)).toContain('https://gitlab.example.com:8443/prefix/')
  })
})
