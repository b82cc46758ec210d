import { describe, expect, it } from 'vitest'
import { RUNNER_TOKENS, TOKENS, expectError, harness } from '../../../test/harness.js'

const LATEST = '18.11'
const ROUTE_404 = { error: '404 Not Found' }

describe('POST /runners/verify and runner managers', () => {
  it('creates the manager of a system_id once, keeps its host details, and gives a runner without one the <legacy> manager', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const verify = (body: Record<string, unknown>) => h.post('/runners/verify', { headers: { 'X-Forwarded-For': '10.7.7.7' }, body })
    expect((await verify({ token: RUNNER_TOKENS.shared1, system_id: 's_000000000001', info: { version: '18.2.0', revision: 'abcd1234', platform: 'linux', architecture: 'arm64' } })).status).toBe(200)
    expect((await verify({ token: RUNNER_TOKENS.shared1, system_id: 's_000000000001' })).status).toBe(200)
    expect((await verify({ token: RUNNER_TOKENS.shared1 })).status).toBe(200)
    const res = await h.get('/runners/1/managers', { token: TOKENS.outsider }) // instance runners: readable by everyone signed in
    expect(res.status).toBe(200)
    expect(res.headers.get('x-total')).toBeNull() // not paginated
    expect(res.body.map((m: { system_id: string }) => m.system_id)).toEqual(['s_1a2b3c4d5e6f', 's_e7f8091a2b3c', 's_000000000001', '<legacy>'])
    expect(res.body[2]).toEqual({
      id: res.body[2].id,
      system_id: 's_000000000001',
      version: '18.2.0',
      revision: 'abcd1234',
      platform: 'linux',
      architecture: 'arm64',
      created_at: '2026-01-15T12:00:00.000Z',
      contacted_at: '2026-01-15T12:00:00.000Z',
      ip_address: '10.7.7.7',
      status: 'online',
      job_execution_status: 'idle',
    })
    // 17.0+: details take the four version fields from the most recently contacted manager.
    const details = await h.get('/runners/1', { token: TOKENS.admin })
    expect(details.body).toMatchObject({ version: '18.2.0', revision: 'abcd1234', platform: 'linux', architecture: 'arm64' })
  })

  it('lists managers in the first 17.1 form (no job_execution_status) before 18.x, and not at all before 17.1', async () => {
    const v171 = await harness({ gitlabVersion: '17.1' }).get('/runners/1/managers', { token: TOKENS.admin })
    expect(v171.status).toBe(200)
    expect(Object.keys(v171.body[0])).toEqual(['id', 'system_id', 'version', 'revision', 'platform', 'architecture', 'created_at', 'contacted_at', 'ip_address', 'status'])
    expectError(await harness({ gitlabVersion: '17.0' }).get('/runners/1/managers', { token: TOKENS.admin }), 404, ROUTE_404)
    expectError(await harness({ gitlabVersion: '15.11' }).get('/runners/1/managers', { token: TOKENS.admin }), 404, ROUTE_404)
  })

  it('answers the managers list with the permissions of runner details', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.get('/runners/6/managers', { token: TOKENS.outsider }), 403, { message: '403 Forbidden - No access granted' })
    expect((await h.get('/runners/6/managers', { token: TOKENS.maintainer })).status).toBe(200)
    expectError(await h.get('/runners/9999/managers', { token: TOKENS.admin }), 404, { message: '404 Not found' })
    expectError(await h.get('/runners/x/managers', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
    expectError(await h.get('/runners/6/managers'), 401, { message: '401 Unauthorized' })
  })

  it('a created (glrt-) runner is not contacted by verify before 18.x; its manager is created never contacted', async () => {
    for (const [version, contacted] of [['17.11', false], ['18.0', true]] as const) {
      const h = harness({ gitlabVersion: version })
      const created = await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'instance_type' } })
      expect((await h.post('/runners/verify', { body: { token: created.body.token, system_id: 's_aaaaaaaaaaaa' } })).status).toBe(200)
      const details = await h.get(`/runners/${created.body.id}`, { token: TOKENS.admin })
      expect(details.body.status).toBe(contacted ? 'online' : 'never_contacted')
      const [manager] = (await h.get(`/runners/${created.body.id}/managers`, { token: TOKENS.admin })).body
      expect(manager.status).toBe(contacted ? 'online' : 'never_contacted')
    }
  })

  it('answers 400 for a system_id over GitLab\'s 64 characters, never a 500', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.post('/runners/verify', { body: { token: RUNNER_TOKENS.shared1, system_id: 's'.repeat(65) } }), 400, {
      message: { system_xid: ['is too long (maximum is 64 characters)'] },
    })
  })

  it('token reset by runner token also creates the manager of its system_id', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expect((await h.post('/runners/reset_authentication_token', { body: { token: RUNNER_TOKENS.api6, system_id: 's_resetresetre' } })).status).toBe(201)
    const managers = await h.get('/runners/6/managers', { token: TOKENS.admin })
    expect(managers.body.map((m: { system_id: string }) => m.system_id)).toContain('s_resetresetre')
  })
})

describe('DELETE /runners/managers', () => {
  it('deletes only that manager (204); the last one clears the runner\'s contact', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expect((await h.del('/runners/managers', { body: { token: RUNNER_TOKENS.shared1, system_id: 's_e7f8091a2b3c' } })).status).toBe(204)
    const left = await h.get('/runners/1/managers', { token: TOKENS.admin })
    expect(left.body.map((m: { system_id: string }) => m.system_id)).toEqual(['s_1a2b3c4d5e6f'])
    expect((await h.get('/runners/1', { token: TOKENS.admin })).body.status).toBe('online')
    expect((await h.del('/runners/managers', { query: { token: RUNNER_TOKENS.shared1, system_id: 's_1a2b3c4d5e6f' } })).status).toBe(204)
    const details = await h.get('/runners/1', { token: TOKENS.admin })
    // Cleared contact on a runner created 300 days ago: stale wins over never_contacted.
    expect(details.body).toMatchObject({ status: 'stale', online: null, contacted_at: null, version: null })
  })

  it('answers GitLab\'s errors: parameters, the runner token, an unknown system id, If-Unmodified-Since', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.del('/runners/managers', { body: {} }), 400, { error: 'token is missing, system_id is missing' })
    expectError(await h.del('/runners/managers', { body: { token: RUNNER_TOKENS.shared1 } }), 400, { error: 'system_id is missing' })
    expectError(await h.del('/runners/managers', { body: { token: 'nope', system_id: 's_1a2b3c4d5e6f' } }), 403, { message: '403 Forbidden' })
    expectError(await h.del('/runners/managers', { body: { token: RUNNER_TOKENS.shared1, system_id: 's_unknown' } }), 404, {
      message: '404 Runner manager not found Not Found',
    })
    // Another runner's system id is unknown to this runner.
    expectError(await h.del('/runners/managers', { body: { token: RUNNER_TOKENS.api6, system_id: 's_1a2b3c4d5e6f' } }), 404, {
      message: '404 Runner manager not found Not Found',
    })
    expectError(
      await h.del('/runners/managers', { headers: { 'If-Unmodified-Since': 'Wed, 01 Jan 2020 00:00:00 GMT' }, body: { token: RUNNER_TOKENS.shared1, system_id: 's_1a2b3c4d5e6f' } }),
      412,
      { message: '412 Precondition Failed' },
    )
  })

  it('before 16.0 the path is DELETE /runners/:id\'s: 401 without a user token, id is invalid with one', async () => {
    const h = harness({ gitlabVersion: '15.11' })
    expectError(await h.del('/runners/managers', { body: { token: RUNNER_TOKENS.shared1, system_id: 's_1a2b3c4d5e6f' } }), 401, { message: '401 Unauthorized' })
    expectError(await h.del('/runners/managers', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
  })
})

describe('version_prefix on the four runner lists', () => {
  it('filters by the managers\' versions from 16.6, and is refused when it does not start with a digit or a dot', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const ids = async (path: string, token: string) =>
      ((await h.get(path, { token, query: { version_prefix: '15.10', per_page: 100 } })).body as Array<{ id: number }>).map((r) => r.id).filter((id) => id <= 13)
    expect(await ids('/runners/all', TOKENS.admin)).toEqual([1, 2])
    expect(await ids('/projects/100/runners', TOKENS.maintainer)).toEqual([1, 2])
    expect(await ids('/groups/10/runners', TOKENS.groupOwner)).toEqual([1, 2])
    expect(await ids('/runners', TOKENS.maintainer)).toEqual([])
    expectError(await h.get('/runners/all', { token: TOKENS.admin, query: { version_prefix: 'V15' } }), 400, { error: 'version_prefix is invalid' })
    expectError(await h.get('/runners/all', { token: TOKENS.admin, query: { type: 'x', version_prefix: 'V15' } }), 400, {
      error: 'type does not have a valid value, version_prefix is invalid',
    })
  })

  it('is an unknown parameter before 16.6 (ignored)', async () => {
    const h = harness({ gitlabVersion: '16.5' })
    const res = await h.get('/runners/all', { token: TOKENS.admin, query: { version_prefix: 'V15', per_page: 100 } })
    expect(res.status).toBe(200)
    expect(res.body.length).toBeGreaterThan(13)
  })
})

describe('GET /runners/:id/jobs?system_id', () => {
  it('lists only that manager\'s jobs without the count headers (16.8+)', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const all = await h.get('/runners/6/jobs', { token: TOKENS.admin })
    expect(all.headers.get('x-total')).toBe('5')
    const mine = await h.get('/runners/6/jobs', { token: TOKENS.admin, query: { system_id: 's_6f708192a3b4' } })
    expect(mine.body.map((j: { id: number }) => j.id)).toEqual([1, 2, 3, 4, 5])
    expect(mine.headers.get('x-total')).toBeNull()
    expect(mine.headers.get('x-total-pages')).toBeNull()
    expect(mine.headers.get('link')).not.toContain('rel="last"')
    const none = await h.get('/runners/6/jobs', { token: TOKENS.admin, query: { system_id: 's_708192a3b4c5' } })
    expect(none.body).toEqual([])
  })

  it('ignores system_id before 16.8', async () => {
    const h = harness({ gitlabVersion: '16.7' })
    const res = await h.get('/runners/6/jobs', { token: TOKENS.admin, query: { system_id: 's_unknown' } })
    expect(res.body).toHaveLength(5)
    expect(res.headers.get('x-total')).toBe('5')
  })
})

describe('GET /runners/:id/projects (18.x)', () => {
  it('lists the runner\'s projects the caller can see, newest id first, paginated', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const admin = await h.get('/runners/7/projects', { token: TOKENS.admin })
    expect(admin.status).toBe(200)
    expect(admin.body.map((p: { id: number }) => p.id)).toEqual([101, 100])
    expect(admin.headers.get('x-total')).toBe('2')
    const single = await h.get('/runners/7/projects', { token: TOKENS.admin, query: { per_page: 1 } })
    expect(single.body.map((p: { id: number }) => p.id)).toEqual([101])
    expectError(await h.get('/runners/7/projects', { token: TOKENS.outsider }), 403, { message: '403 Forbidden - No access granted' })
    expect((await h.get('/runners/1/projects', { token: TOKENS.outsider })).body).toEqual([])
  })

  it('does not exist before 18.0', async () => {
    expectError(await harness({ gitlabVersion: '17.11' }).get('/runners/7/projects', { token: TOKENS.admin }), 404, ROUTE_404)
  })
})
