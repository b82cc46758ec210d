import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { startMockServer, type MockServer } from '../server.js'
import { MockWorld } from '../world.js'
import { ControlApiError, ControlClient, DEFAULT_FIXTURE_NAMES, type DefaultFixtureTokens } from './client.js'

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ clock: '2026-01-15T12:00:00.000Z', logLevel: 'silent', controlToken: 'ctl-secret' })
})
afterAll(async () => {
  await server?.close()
})

const api = (base: string, path: string, init: RequestInit = {}) =>
  fetch(`${base}/api/v4${path}`, { ...init, headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001', 'content-type': 'application/json', ...(init.headers ?? {}) } })

describe('ControlClient', () => {
  it('names every well-known token of the default fixture in its types', async () => {
    const tokens = await server.control.tokens()
    expectTypeOf(tokens).toEqualTypeOf<DefaultFixtureTokens>()
    expectTypeOf(tokens.users.alice).toBeString()
    expect(Object.keys(tokens.users)).toEqual([...DEFAULT_FIXTURE_NAMES.users])
    expect(Object.keys(tokens.registration.groups)).toEqual([...DEFAULT_FIXTURE_NAMES.groups])
    expect(Object.keys(tokens.registration.projects)).toEqual([...DEFAULT_FIXTURE_NAMES.projects])
    expect(Object.keys(tokens.runners)).toEqual([...DEFAULT_FIXTURE_NAMES.runners])
  })

  it('is the same client on the server, on each world handle, and by name', async () => {
    const w = server.world('client-a')
    expect(server.world).toBeInstanceOf(MockWorld) // the default world, still
    expect(server.world.store.runner(1)?.id).toBe(1)
    expect(w.url).toBe(`${server.url}/-/worlds/client-a`)
    expect(w.control).toBeInstanceOf(ControlClient)
    expect(w.control.baseUrl).toBe(server.control.world('client-a').baseUrl)
    expect(w.tokens.users.root).toBe('glpat-AdminToken0000000001')
    await api(w.url, '/runners/1', { method: 'PUT', body: JSON.stringify({ description: 'in a' }) })
    expect(w.world.store.runner(1)?.description).toBe('in a')
    expect(server.world.store.runner(1)?.description).not.toBe('in a')
    await w.control.reset()
    expect(w.world.store.runner(1)?.description).not.toBe('in a')
    const worlds = await server.control.worlds()
    expect(worlds.map((x) => x.name)).toContain('client-a')
  })

  it('drives the clock: set, freeze, advance by duration or ms, real', async () => {
    const c = server.world('clock').control
    expect(await c.setClock('2027-01-01T00:00:00Z')).toEqual({ now: '2027-01-01T00:00:00.000Z', frozen: true })
    expect((await c.advanceClock('2h')).now).toBe('2027-01-01T02:00:00.000Z')
    expect((await c.advanceClock(1500)).now).toBe('2027-01-01T02:00:01.500Z')
    expect((await c.realClock()).frozen).toBe(false)
    expect((await c.freezeClock()).frozen).toBe(true)
    expect((await server.control.clock()).now).toBe('2026-01-15T12:00:00.000Z') // other worlds untouched
  })

  it('snapshots, restores, reseeds and dumps', async () => {
    const c = server.world('snap').control
    await c.snapshot('before')
    await c.addRecords({ runners: [{ runner_type: 'instance_type', description: 'extra' }] })
    expect((await c.state()).runners).toHaveLength(32)
    await c.restore('before')
    expect((await c.state()).runners).toHaveLength(31)
    expect(await c.snapshots()).toEqual(['before'])
    await c.deleteSnapshot('before')
    expect((await c.reseed({ seed: 3 })).seed).toBe(3)
  })

  it('reads the journal, verifies, and explains a failed expectation with the near misses', async () => {
    const w = server.world('journal')
    await api(w.url, '/runners/1')
    await api(w.url, '/runners/2', { method: 'PUT', body: JSON.stringify({ description: 'x' }) })
    const { requests } = await w.control.requests({ path: '/api/v4/runners/*' })
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/runners/1', 'PUT /api/v4/runners/2'])
    expect(await w.control.verify({ endpoint: 'GET /api/v4/runners/:id', count: 1 })).toEqual({ ok: true, count: 1 })
    expect(await w.control.expectRequest({ method: 'PUT', path: '/api/v4/runners/2', body_contains: 'description' })).toBe(1)
    await expect(w.control.expectRequest({ method: 'DELETE', path: '/api/v4/runners/2' })).rejects.toThrow(/found 0; nearest:\n {4}PUT \/api\/v4\/runners\/2/)
    await w.control.clearRequests()
    expect((await w.control.requests()).requests).toEqual([])
  })

  it('adds and removes faults and the throttle; errors are ControlApiError with the body', async () => {
    const w = server.world('faults')
    const rule = await w.control.addFault({ path: '/api/v4/runners/1', respond: { status: 500, body: { message: 'x' } }, times: 1 })
    expect(rule).toMatchObject({ id: 1, remaining: 1 })
    expect((await api(w.url, '/runners/1')).status).toBe(500)
    expect((await w.control.faults())[0]).toMatchObject({ fired: 1, remaining: 0 })
    await w.control.removeFault(rule.id)
    await w.control.addFault({ preset: 'unavailable' })
    await w.control.clearFaults()
    expect(await w.control.faults()).toEqual([])
    expect(await w.control.setRateLimit(5, 60)).toEqual({ enabled: true, limit: 5, period_seconds: 60 })
    await w.control.clearRateLimit()
    expect(await w.control.rateLimit()).toEqual({ enabled: false })
    const error = await w.control.addFault({ preset: 'nope' } as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ControlApiError)
    expect((error as ControlApiError).status).toBe(400)
    expect((error as ControlApiError).body).toMatchObject({ message: expect.stringMatching(/preset/) })
    const unauthorized = await new ControlClient(server.url).reset().catch((e: unknown) => e)
    expect((unauthorized as ControlApiError).status).toBe(401)
  })

  it('adds records, heartbeats and jobs', async () => {
    const c = server.world('records').control
    const added = await c.addRecords({ runners: [{ runner_type: 'instance_type', description: 'late' }] })
    expect(await c.contact(added.runners[0]!.id, { version: '17.1.0' })).toMatchObject({ status: 'online' })
    expect(await c.addJob(added.runners[0]!.id, { status: 'running' })).toMatchObject({ runner_id: added.runners[0]!.id, status: 'running' })
  })

  it('creates worlds with options and drops them', async () => {
    const info = await server.control.createWorld('made', { seed: 5, gitlab_version: '16.0' })
    expect(info).toMatchObject({ name: 'made', seed: 5, gitlab_version: '16.0', path: '/-/worlds/made' })
    await server.control.deleteWorld('made')
    expect((await server.control.worlds()).map((w) => w.name)).not.toContain('made')
  })
})
