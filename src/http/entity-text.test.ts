import { describe, expect, it } from 'vitest'
import { addRunnerJob, contactRunner } from '../control/records.js'
import { deleteManagerOfRunner, latestManager } from '../domain/managers.js'
import { verifyRunner } from '../domain/runner-tokens.js'
import type { Store } from '../domain/store.js'
import type { Runner } from '../domain/types.js'
import { MockWorld } from '../world.js'
import { runnerDetailsEntity, runnerEntity, type EntityContext } from './entities.js'
import { runnerDetailsText, runnerText } from './entity-text.js'

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
