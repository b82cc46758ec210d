import { describe, expect, it } from 'vitest'
import { TOKENS, harness } from '../../test/harness.js'

const admin = { token: TOKENS.admin }

describe('worlds: /-/worlds/<name> serves an independent GitLab', () => {
  it('creates a world on first use from the initial state, and nothing it does reaches another', async () => {
    const h = harness()
    const put = await h.put('/-/worlds/a/api/v4/runners/1', { ...admin, body: { description: 'in a' } })
    expect(put.body.description).toBe('in a')
    expect((await h.get('/-/worlds/b/api/v4/runners/1', admin)).body.description).toBe('shared-linux-online')
    expect((await h.get('/api/v4/runners/1', admin)).body.description).toBe('shared-linux-online')
    expect((await h.get('/-/worlds/a/api/v4/runners/1', admin)).body.description).toBe('in a')
    // the default world is also reachable by name
    expect((await h.get('/-/worlds/default/api/v4/runners/1', admin)).body.description).toBe('shared-linux-online')
    const reg = await h.post('/-/worlds/a/api/v4/runners', { body: { token: 'InstanceRegToken0001' } })
    const other = await h.post('/-/worlds/b/api/v4/runners', { body: { token: 'InstanceRegToken0001' } })
    expect(reg.body.id).toBe(other.body.id) // own id counters
    expect((await h.post('/-/worlds/a/-/mock/reset')).status).toBe(200)
    expect((await h.get('/-/worlds/a/api/v4/runners/1', admin)).body.description).toBe('shared-linux-online')
    expect((await h.get(`/-/worlds/b/api/v4/runners/${other.body.id}`, admin)).status).toBe(200)
  })

  it('puts the prefix into Link headers and web_url, and health works under it', async () => {
    const h = harness()
    const list = await h.get('/-/worlds/w1/api/v4/runners/all', { ...admin, query: { per_page: 2 } })
    expect(list.headers.get('link')).toContain('<http://gitlab.test/-/worlds/w1/api/v4/runners/all?page=2&per_page=2>; rel="next"')
    const project = await h.get('/-/worlds/w1/api/v4/projects/100', admin)
    expect(project.body.web_url).toBe('http://gitlab.test/-/worlds/w1/acme/backend/api')
    expect((await h.get('/-/worlds/w1/-/health')).text).toBe('GitLab OK')
    const ext = harness({ externalUrl: 'https://gitlab.example.com/' })
    expect((await ext.get('/-/worlds/w1/api/v4/projects/100', admin)).body.web_url).toBe('https://gitlab.example.com/-/worlds/w1/acme/backend/api')
  })

  it('refuses malformed names with a clear 400', async () => {
    const h = harness()
    for (const path of ['/-/worlds/bad!name/api/v4/runners', `/-/worlds/${'x'.repeat(65)}/api/v4/runners`, '/-/worlds//api/v4/runners', '/-/worlds']) {
      const res = await h.get(path, admin)
      expect(res.status, path).toBe(400)
      expect(res.body.message).toMatch(/world name/)
    }
    expect((await h.post('/-/mock/worlds', { body: { name: 'a b' } })).status).toBe(400)
  })

  it('creates, lists and drops worlds through the control API, with their own seed, clock and GitLab version', async () => {
    const h = harness()
    const created = await h.post('/-/mock/worlds', { body: { name: 'v17', gitlab_version: '17.0', clock: '2030-01-01T00:00:00Z', seed: 9 } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'v17', path: '/-/worlds/v17', seed: 9, gitlab_version: '17.0' })
    expect((await h.get('/-/worlds/v17/-/mock/clock')).body.now).toBe('2030-01-01T00:00:00.000Z')
    expect((await h.post('/-/mock/worlds', { body: { name: 'v17' } })).status).toBe(409)
    expect((await h.post('/-/mock/worlds', { body: { name: 'old', gitlab_version: '9.0' } })).status).toBe(400)
    expect((await h.post('/-/mock/worlds', { body: { name: 'f', fixture: '/etc/passwd' } })).status).toBe(400)
    const bad = await h.post('/-/mock/worlds', { body: { name: 'f', fixture: { runners: [{ runner_type: 'group_type' }] } } })
    expect(bad.status).toBe(400)
    expect(bad.body.problems.length).toBeGreaterThan(0)
    await h.get('/-/worlds/other/api/v4/runners', admin)
    const list = await h.get('/-/mock/worlds')
    expect(list.body.worlds.map((w: { name: string }) => w.name)).toEqual(['default', 'v17', 'other'])
    expect(list.body.worlds[2]).toMatchObject({ runners: 31, requests: 1 })
    expect((await h.del('/-/mock/worlds/other')).status).toBe(204)
    expect((await h.del('/-/mock/worlds/other')).status).toBe(404)
    expect((await h.del('/-/mock/worlds/default')).status).toBe(400)
  })

  it('drops the least recently used idle world past --max-worlds', async () => {
    const h = harness({ maxWorlds: 2 })
    await h.put('/-/worlds/a/api/v4/runners/1', { ...admin, body: { description: 'a' } })
    await h.get('/-/worlds/b/api/v4/runners/1', admin)
    await h.get('/-/worlds/a/api/v4/runners/1', admin) // a is now more recent than b
    await h.get('/-/worlds/c/api/v4/runners/1', admin)
    const names = (await h.get('/-/mock/worlds')).body.worlds.map((w: { name: string }) => w.name)
    expect(names.sort()).toEqual(['a', 'c', 'default'])
    expect((await h.get('/-/worlds/a/api/v4/runners/1', admin)).body.description).toBe('a')
  })

  it('answers 503 with a message when every world is busy', async () => {
    const h = harness({ maxWorlds: 1 })
    await h.post('/-/worlds/slow/-/mock/faults', { body: { path: '/api/v4/runners/1', delay_ms: 300 } })
    const pending = h.get('/-/worlds/slow/api/v4/runners/1', admin)
    await new Promise((r) => setTimeout(r, 50))
    const refused = await h.get('/-/worlds/another/api/v4/runners/1', { ...admin, injected: true })
    expect(refused.status).toBe(503)
    expect(refused.body.message).toMatch(/busy/)
    expect((await pending).status).toBe(200)
    expect((await h.get('/-/worlds/another/api/v4/runners/1', admin)).status).toBe(200)
  })
})
