import { describe, expect, it } from 'vitest'
import { harness, TOKENS } from '../../test/harness.js'

const admin = { token: TOKENS.admin }

describe('GET /-/mock/inspect/runners', () => {
  it('pages every runner in id order, 50 a page by default, with the same total as GET /runners/all', async () => {
    const h = harness()
    const api = await h.get('/runners/all', { ...admin, query: { per_page: 100 } })
    const res = await h.get('/-/mock/inspect/runners')
    expect(res.status).toBe(200)
    expect(res.body.total).toBe(Number(api.headers.get('x-total')))
    expect(res.body.per_page).toBe(50)
    expect(res.body.runners.map((r: { id: number }) => r.id)).toEqual(api.body.map((r: { id: number }) => r.id))
    const second = await h.get('/-/mock/inspect/runners', { query: { per_page: 10, page: 2 } })
    expect(second.body.runners.map((r: { id: number }) => r.id)).toEqual(api.body.slice(10, 20).map((r: { id: number }) => r.id))
    expect(second.body.total_pages).toBe(Math.ceil(res.body.total / 10))
  })

  it('filters by type, status and tags exactly as the API does, and by text', async () => {
    const h = harness()
    const filters: Array<Record<string, string>> = [{ status: 'online' }, { status: 'stale' }, { status: 'paused' }, { type: 'group_type' }, { tag_list: 'linux,docker' }]
    for (const query of filters) {
      const api = await h.get('/runners/all', { ...admin, query: { ...query, per_page: 100 } })
      const mine = await h.get('/-/mock/inspect/runners', { query: query.tag_list ? { tag: query.tag_list } : query })
      expect(mine.body.runners.map((r: { id: number }) => r.id), JSON.stringify(query)).toEqual(api.body.map((r: { id: number }) => r.id))
    }
    const text = await h.get('/-/mock/inspect/runners', { query: { q: 'acme/backend/worker' } })
    expect(text.body.total).toBeGreaterThan(0)
    for (const r of text.body.runners) expect(r.owners).toContain('acme/backend/worker')
  })

  it('shows what the API shows for each runner: status, paused, owners, contact time', async () => {
    const h = harness()
    const res = await h.get('/-/mock/inspect/runners')
    for (const row of res.body.runners.slice(0, 12)) {
      const api = await h.get(`/runners/${row.id}`, admin)
      expect([row.status, row.paused, row.contacted_at, row.tag_list.sort()]).toEqual([api.body.status, api.body.paused, api.body.contacted_at, api.body.tag_list.sort()])
      if (api.body.runner_type === 'project_type') expect(row.owners).toEqual(api.body.projects.map((p: { path_with_namespace: string }) => p.path_with_namespace))
    }
  })

  it('refuses bad filters and page sizes with a clear message', async () => {
    const h = harness()
    expect((await h.get('/-/mock/inspect/runners', { query: { status: 'sleepy' } })).body.message).toMatch(/"status" must be one of/)
    const res = await h.get('/-/mock/inspect/runners', { query: { per_page: 0 } })
    expect([res.status, res.body.message]).toEqual([400, '"per_page" must be a whole number from 1 to 500'])
  })
})

describe('GET /-/mock/inspect/runners/:id', () => {
  it('gives the runner with its projects, jobs and token', async () => {
    const h = harness()
    const res = await h.get('/-/mock/inspect/runners/6')
    const api = await h.get('/runners/6', admin)
    expect(res.body.runner.id).toBe(6)
    expect(res.body.projects.map((p: { id: number }) => p.id)).toEqual(api.body.projects.map((p: { id: number }) => p.id))
    expect(res.body.token).toBe(h.app.world.store.runner(6)!.token)
    expect(res.body.jobs_total).toBe(h.app.world.store.jobsOfRunner(6).length)
    expect((await h.get('/-/mock/inspect/runners/99999')).status).toBe(404)
  })
})

describe('GET /-/mock/inspect/world', () => {
  it('lists groups and projects with visibility and runner counts, and users with their roles', async () => {
    const h = harness()
    const res = await h.get('/-/mock/inspect/world')
    const id = h.app.world.store.projectByFullPath('acme/backend/api')!.id
    const api = (await h.get(`/projects/${id}/runners`, { ...admin, query: { type: 'project_type', per_page: 100 } })).body
    const project = res.body.projects.find((p: { id: number }) => p.id === id)
    expect(api.length).toBeGreaterThan(0)
    expect(project.runners).toBe(api.length)
    expect(project.visibility).toBe(h.app.world.store.project(id)!.visibility)
    const alice = res.body.users.find((u: { username: string }) => u.username === 'alice')
    expect(alice.memberships).toContainEqual({ source: 'group', path: 'acme', role: 'owner' })
    expect(res.body.runners.total).toBe(h.app.world.store.state.runners.size)
  })
})

describe('the inspector behind a control token', () => {
  it('serves its page and script openly, and its data only with the token', async () => {
    const h = harness({ controlToken: 's3cret' })
    const page = await h.app.request('http://gitlab.test/-/mock/ui')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await page.text()
    expect(html).toContain('<label for="token-input">Control token</label>')
    expect(html).not.toContain('glpat-')
    expect((await h.app.request('http://gitlab.test/-/mock/ui/app.js')).status).toBe(200)
    expect((await h.get('/-/mock/inspect/runners')).status).toBe(401)
    expect((await h.get('/-/mock/inspect/runners', { headers: { 'X-Mock-Control-Token': 's3cret' } })).status).toBe(200)
  })

  it('is where / sends a browser, and a world\'s root sends to that world\'s inspector', async () => {
    const h = harness()
    const res = await h.app.request('http://gitlab.test/')
    expect([res.status, res.headers.get('location')]).toEqual([302, '/-/mock/ui'])
    expect((await h.post('/-/mock/worlds', { body: { name: 'blue' } })).status).toBe(201)
    const world = await h.app.request('http://gitlab.test/-/worlds/blue/')
    expect([world.status, world.headers.get('location')]).toEqual([302, '/-/worlds/blue/-/mock/ui'])
    const page = await h.app.request('http://gitlab.test/-/worlds/blue/-/mock/ui')
    expect(page.status).toBe(200)
    // Records are immutable: writes go through the store.
    h.app.world.store.updateRunner(h.app.world.store.runner(1)!, { description: 'changed in the default world only' })
    const rows = await h.get('/-/worlds/blue/-/mock/inspect/runners')
    expect(rows.body.runners[0].description).not.toBe('changed in the default world only')
  })
})
