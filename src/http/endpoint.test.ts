/** @module The endpoint table against what is mounted, and the version gate: an entry outside the world's GitLab version falls through to the next matching route, ending in GitLab's 404. */
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import type { GitLabVersion } from '../domain/gitlab-version.js'
import { MockWorld } from '../world.js'
import { RUNNER_TOKEN, USER_WRITE } from './auth.js'
import { declaredPath, defineEndpoint, mountEndpoints, routePattern, type Endpoint } from './endpoint.js'
import { API_PREFIX, ENDPOINTS } from './endpoints/index.js'
import type { AppEnv } from './env.js'
import { errorHandler, notFoundHandler } from './errors.js'
import { p } from './params.js'
import { findRouteContract, ROUTE_CONTRACTS } from '../validation/routes.js'

describe('the endpoint table', () => {
  it('names every entry uniquely as `METHOD /path`', () => {
    const names = ENDPOINTS.map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
    for (const e of ENDPOINTS) expect(e.name).toBe(`${e.method} ${e.path}`)
  })

  it('is exactly what the app mounts under /api/v4, in table order', () => {
    // MockApp is a narrow public view; underneath it is the Hono app, whose route list is what was mounted.
    const { routes } = createApp() as unknown as { routes: Array<{ method: string; path: string; handler: unknown }> }
    const api = routes.filter((r) => r.path.startsWith(`${API_PREFIX}/`))
    expect(api.map((r) => `${r.method} ${r.path.slice(API_PREFIX.length)}`)).toEqual(ENDPOINTS.map((e) => `${e.method} ${routePattern(e, ENDPOINTS)}`))
    // The journal, fault rules and the OpenAPI document name each route by its declared path; other routes keep theirs.
    expect(api.map((r) => `${r.method} ${declaredPath(r).slice(API_PREFIX.length)}`)).toEqual(ENDPOINTS.map((e) => e.name))
    const docs = routes.find((r) => r.path.startsWith('/-/mock/docs/:file'))
    expect(docs && declaredPath(docs)).toBe(docs?.path)
  })

  it('matches one route for `GET /runners/all`, which Hono then runs without composing a chain; `/runners/:id` keeps every other id', () => {
    const { router } = createApp() as unknown as { router: { match(method: string, path: string): [Array<[unknown, Record<string, string>]>] } }
    const [all] = router.match('GET', `${API_PREFIX}/runners/all`)
    expect(all).toHaveLength(1)
    for (const id of ['7', 'alll', 'al', 'x-all', '%61ll']) {
      const [byId] = router.match('GET', `${API_PREFIX}/runners/${id}`)
      expect(byId.map(([, params]) => params.id)).toEqual([id])
    }
  })

  it('registers each static path before the `:param` path that would also match it', () => {
    const pattern = (path: string) => new RegExp(`^${path.replace(/:[a-z_]+/g, '[^/]+')}$`)
    ENDPOINTS.forEach((later, j) => {
      ENDPOINTS.slice(0, j).forEach((earlier) => {
        // A later static path that an earlier dynamic one matches would never be reached.
        if (earlier.method === later.method && earlier.path.includes(':') && !later.path.includes(':'))
          expect(pattern(earlier.path).test(later.path), `${later.name} is shadowed by ${earlier.name}`).toBe(false)
      })
    })
  })

  it('gives every entry with a success reply its response contract, in table order', () => {
    expect(ROUTE_CONTRACTS.map((r) => r.endpoint)).toEqual(ENDPOINTS.filter((e) => e.success).map((e) => e.name))
    expect(findRouteContract('DELETE', '/api/v4/runners/7')?.errors).toEqual([400, 401, 403, 404, 413, 412])
  })

  it('is the README\'s "What is implemented" list, endpoint for endpoint', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## What is implemented'), readme.indexOf('\n## ', readme.indexOf('## What is implemented') + 3))
    const listed = new Set<string>()
    for (const line of section.split('\n')) {
      const first = line.split('|')[1] ?? ''
      for (const [, methods, path] of first.matchAll(/`((?:GET|POST|PUT|DELETE)(?:\/(?:GET|POST|PUT|DELETE))*) (\/[^`]*)`/g))
        for (const method of methods!.split('/')) listed.add(`${method} ${path}`)
    }
    expect([...listed].sort()).toEqual(ENDPOINTS.map((e) => e.name).sort())
  })
})

/** A bare app with the mock's world middleware and error handling, serving only `endpoints`. */
function appWith(endpoints: Endpoint[], version: GitLabVersion) {
  const world = new MockWorld({ gitlabVersion: version })
  const app = new Hono<AppEnv>()
  app.use('*', (c, next) => {
    c.set('world', world)
    c.set('actor', null)
    return next()
  })
  mountEndpoints(app, API_PREFIX, endpoints)
  app.notFound(notFoundHandler)
  app.onError(errorHandler(() => undefined))
  return app
}

describe('version ranges', () => {
  // A test-only table in the shape of the real one: the 17.0+ managers route before `/runners/:id`.
  const managers = defineEndpoint({
    method: 'DELETE',
    path: '/runners/managers',
    auth: RUNNER_TOKEN,
    since: '17.0',
    params: { token: p.string({ required: true }) },
    handle: (c, { params }) => c.json({ served: 'managers', token: params.token }),
  })
  const byId = defineEndpoint({
    method: 'DELETE',
    path: '/runners/:id',
    auth: { kind: 'none' },
    params: { id: p.int({ in: 'path' }) },
    handle: (c, { params }) => c.json({ served: 'runner', id: params.id }),
  })
  const retired = defineEndpoint({ method: 'GET', path: '/retired', auth: { kind: 'none' }, until: '16.0', handle: (c) => c.json({ served: 'retired' }) })
  const table = [managers, byId, retired]

  it('serves an entry inside its range', async () => {
    const res = await appWith(table, '17.0').request('/api/v4/runners/managers?token=t', { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ served: 'managers', token: 't' })
  })

  it('falls through to the next matching entry outside its range, as if the route did not exist', async () => {
    // On 15.11 `DELETE /runners/managers` is `DELETE /runners/:id` with id `managers`: GitLab's `id is invalid`.
    const res = await appWith(table, '15.11').request('/api/v4/runners/managers?token=t', { method: 'DELETE' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'id is invalid' })
    const byIdRes = await appWith(table, '15.11').request('/api/v4/runners/7', { method: 'DELETE' })
    expect(await byIdRes.json()).toEqual({ served: 'runner', id: 7 })
  })

  it('ends in GitLab\'s 404 when no entry is left', async () => {
    const gone = await appWith(table, '16.0').request('/api/v4/retired')
    expect(gone.status).toBe(404)
    expect(await gone.json()).toEqual({ error: '404 Not Found' })
    const present = await appWith(table, '15.11').request('/api/v4/retired')
    expect(await present.json()).toEqual({ served: 'retired' })
    const onlyNew = await appWith([managers], '16.11').request('/api/v4/runners/managers?token=t', { method: 'DELETE' })
    expect(onlyNew.status).toBe(404)
    expect(await onlyNew.json()).toEqual({ error: '404 Not Found' })
  })

  it('keeps a parameter open to the name of a sibling some version lacks, and closed to one every version has', async () => {
    expect(routePattern(byId, table)).toBe('/runners/:id')
    const all = defineEndpoint({ method: 'GET', path: '/things/all', auth: { kind: 'none' }, handle: (c) => c.json({ served: 'all' }) })
    const thing = defineEndpoint({ method: 'GET', path: '/things/:id', auth: { kind: 'none' }, params: { id: p.string({ in: 'path' }) }, handle: (c, { params }) => c.json({ served: 'thing', id: params.id }) })
    expect(routePattern(thing, [all, thing])).toBe('/things/:id{(?!(?:all)(?:/|$))[^/]+}')
    const app = appWith([all, thing], '15.11')
    expect(await (await app.request('/api/v4/things/all')).json()).toEqual({ served: 'all' })
    expect(await (await app.request('/api/v4/things/allx')).json()).toEqual({ served: 'thing', id: 'allx' })
    expect(await (await app.request('/api/v4/things/7')).json()).toEqual({ served: 'thing', id: '7' })

    // Inside a path too: the name ends at the next slash.
    const allJobs = defineEndpoint({ method: 'GET', path: '/things/all/jobs', auth: { kind: 'none' }, handle: (c) => c.json({ served: 'all jobs' }) })
    const jobs = defineEndpoint({ method: 'GET', path: '/things/:id/jobs', auth: { kind: 'none' }, params: { id: p.string({ in: 'path' }) }, handle: (c, { params }) => c.json({ served: 'jobs', id: params.id }) })
    const nested = appWith([allJobs, jobs], '15.11')
    // (this app has the world middleware in front, so the parameter route's absence is what tells)
    expect(nested.router.match('GET', '/api/v4/things/all/jobs')[0].filter(([, params]) => 'id' in params)).toEqual([])
    expect(await (await nested.request('/api/v4/things/all/jobs')).json()).toEqual({ served: 'all jobs' })
    expect(await (await nested.request('/api/v4/things/allx/jobs')).json()).toEqual({ served: 'jobs', id: 'allx' })
    expect(nested.routes.filter((r) => r.method === 'GET').map((r) => declaredPath(r))).toEqual(['/api/v4/things/all/jobs', '/api/v4/things/:id/jobs'])
  })

  it('authenticates only inside the range: a gated user endpoint outside it never answers 401', async () => {
    const gated = defineEndpoint({ method: 'GET', path: '/gated', auth: USER_WRITE, since: '18.0', handle: (c) => c.json({}) })
    const res = await appWith([gated], '15.11').request('/api/v4/gated')
    expect(res.status).toBe(404)
    expect((await appWith([gated], '18.0').request('/api/v4/gated')).status).toBe(401)
  })
})
