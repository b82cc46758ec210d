import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REGISTRATION, RUNNER_TOKENS, TOKENS, expectError, harness, type Harness } from '../../../test/harness.js'
import { startMockServer, type MockServer } from '../../server.js'
import type { Fixture } from '../../seed/fixture-types.js'
import { DEFAULT_FIXTURE } from '../../world.js'

const AUTH_TOKEN = /^[A-Za-z0-9_-]{20}$/

/** The default world with some settings changed. */
function withSettings(settings: NonNullable<Fixture['settings']>): Fixture {
  return { ...DEFAULT_FIXTURE, settings: { ...DEFAULT_FIXTURE.settings, ...settings } }
}

async function details(h: Harness, id: number) {
  const res = await h.get(`/runners/${id}`, { token: TOKENS.admin })
  expect(res.status).toBe(200)
  return res.body
}

function multipart(fields: Array<[string, string]>): { body: string; headers: Record<string, string> } {
  const boundary = '----mockboundary7MA4YWxkTrZu0gW'
  const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
  return { body: `${parts.join('')}--${boundary}--\r\n`, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } }
}

describe('POST /runners (register)', () => {
  it('registers with every documented attribute as JSON and answers 201 with id, token and token_expires_at', async () => {
    const h = harness()
    const res = await h.post('/runners', {
      headers: { 'X-Forwarded-For': '123.111.123.111' },
      body: {
        token: REGISTRATION.apiProject,
        description: 'fleet-runner-1',
        info: { name: 'gitlab-runner', version: '15.11.0', revision: '436955cb', platform: 'linux', architecture: 'amd64' },
        paused: true,
        locked: true,
        run_untagged: false,
        tag_list: ['docker', 'linux'],
        access_level: 'ref_protected',
        maximum_timeout: 3600,
        maintenance_note: 'rack 7',
      },
    })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['id', 'token', 'token_expires_at'])
    expect(res.body.token).toMatch(AUTH_TOKEN)
    expect(res.body.token_expires_at).toBeNull()
    expect(await details(h, res.body.id)).toMatchObject({
      id: res.body.id,
      description: 'fleet-runner-1',
      ip_address: '123.111.123.111',
      active: false,
      paused: true,
      is_shared: false,
      runner_type: 'project_type',
      name: 'gitlab-runner',
      online: null,
      status: 'never_contacted',
      tag_list: ['docker', 'linux'],
      run_untagged: false,
      locked: true,
      maximum_timeout: 3600,
      access_level: 'ref_protected',
      version: '15.11.0',
      revision: '436955cb',
      platform: 'linux',
      architecture: 'amd64',
      contacted_at: null,
      projects: [expect.objectContaining({ id: 100 })],
      groups: [],
    })
    expect(h.app.world.store.runner(res.body.id)?.maintenanceNote).toBe('rack 7')
  })

  it('accepts a form-urlencoded body with nested info[...] keys and a comma-separated tag_list', async () => {
    const h = harness()
    const res = await h.post('/runners', {
      form: {
        token: REGISTRATION.instance,
        description: 'form-runner',
        'info[name]': 'my-runner',
        'info[version]': '15.10.1',
        'info[platform]': 'darwin',
        tag_list: 'ruby, mysql,tag1',
        active: 'false',
        run_untagged: 'true',
        maximum_timeout: '900',
        maintainer_note: 'from a form',
      },
    })
    expect(res.status).toBe(201)
    expect(await details(h, res.body.id)).toMatchObject({
      description: 'form-runner',
      name: 'my-runner',
      version: '15.10.1',
      platform: 'darwin',
      revision: null,
      architecture: null,
      tag_list: ['ruby', 'mysql', 'tag1'],
      active: false,
      paused: true,
      maximum_timeout: 900,
      runner_type: 'instance_type',
    })
    expect(h.app.world.store.runner(res.body.id)?.maintenanceNote).toBe('from a form')
  })

  it('accepts a multipart body with tag_list[] entries and nested info keys', async () => {
    const h = harness()
    const { body, headers } = multipart([
      ['token', REGISTRATION.acmeGroup],
      ['description', 'multipart-runner'],
      ['info[architecture]', 'arm64'],
      ['tag_list[]', 'a'],
      ['tag_list[]', 'b'],
      ['locked', '1'],
      ['access_level', 'not_protected'],
    ])
    const res = await h.post('/runners', { body, headers })
    expect(res.status).toBe(201)
    expect(await details(h, res.body.id)).toMatchObject({
      description: 'multipart-runner',
      architecture: 'arm64',
      tag_list: ['a', 'b'],
      locked: true,
      runner_type: 'group_type',
      groups: [expect.objectContaining({ id: 10 })],
    })
  })

  it("accepts gitlab-runner's own register body: tag_list as a comma string and extra info members", async () => {
    const h = harness()
    const res = await h.post('/runners', {
      headers: { 'User-Agent': 'gitlab-runner 15.11.0 (15-11-stable; go1.19.6; linux/amd64)' },
      body: {
        description: 'ci-box',
        maintenance_note: '',
        tag_list: 'a,b',
        run_untagged: false,
        locked: true,
        access_level: 'not_protected',
        maximum_timeout: 600,
        paused: false,
        info: {
          name: 'gitlab-runner',
          version: '15.11.0',
          revision: '436955cb',
          platform: 'linux',
          architecture: 'amd64',
          executor: 'docker',
          shell: 'bash',
          features: { variables: true, artifacts: true },
          config: { gpus: '' },
        },
        token: REGISTRATION.instance,
      },
    })
    expect(res.status).toBe(201)
    expect(await details(h, res.body.id)).toMatchObject({ tag_list: ['a', 'b'], run_untagged: false, active: true, maximum_timeout: 600 })
  })

  it('uses defaults for everything not given: active, unlocked, untagged jobs, not_protected, no timeout', async () => {
    const h = harness()
    const res = await h.post('/runners', { body: { token: REGISTRATION.instance } })
    expect(res.status).toBe(201)
    expect(await details(h, res.body.id)).toMatchObject({
      description: null,
      name: null,
      active: true,
      paused: false,
      locked: false,
      run_untagged: true,
      tag_list: [],
      access_level: 'not_protected',
      maximum_timeout: null,
      status: 'never_contacted',
      online: null,
      contacted_at: null,
    })
  })

  it('answers 400 token is missing without a token', async () => {
    expectError(await harness().post('/runners', { body: { description: 'x' } }), 400, { error: 'token is missing' })
  })

  it('answers a bare 403 for an unknown, an empty or a runner authentication token', async () => {
    const h = harness()
    for (const token of ['not-a-registration-token', '', RUNNER_TOKENS.shared1, TOKENS.admin])
      expectError(await h.post('/runners', { body: { token } }), 403, { message: '403 Forbidden' })
  })

  it('refuses mutually exclusive pairs: maintainer_note with maintenance_note, active with paused', async () => {
    const h = harness()
    expectError(
      await h.post('/runners', { body: { token: REGISTRATION.instance, maintainer_note: 'a', maintenance_note: 'b' } }),
      400,
      { error: 'maintainer_note, maintenance_note are mutually exclusive' },
    )
    expectError(await h.post('/runners', { body: { token: REGISTRATION.instance, active: true, paused: true } }), 400, {
      error: 'active, paused are mutually exclusive',
    })
  })

  it('validates parameter types with Grape messages, listing every problem', async () => {
    const h = harness()
    const token = REGISTRATION.instance
    expectError(await h.post('/runners', { body: { token, access_level: 'everyone' } }), 400, {
      error: 'access_level does not have a valid value',
    })
    expectError(await h.post('/runners', { body: { token, paused: 'maybe', maximum_timeout: 'long' } }), 400, {
      error: 'paused is invalid, maximum_timeout is invalid',
    })
    expectError(await h.post('/runners', { form: { token, info: 'x' } }), 400, { error: 'info is invalid' })
    expectError(await h.post('/runners', { body: { token, info: { name: { first: 'a' } } } }), 400, { error: 'info[name] is invalid' })
    expectError(await h.post('/runners', { body: { token, tag_list: { a: 1 } } }), 400, { error: 'tag_list is invalid' })
  })

  it('answers model validation errors as {"message":{attribute:[...]}} and creates nothing', async () => {
    const h = harness()
    const token = REGISTRATION.apiProject
    const before = h.app.world.store.state.runners.size
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`)
    expectError(await h.post('/runners', { body: { token, tag_list: tags } }), 400, {
      message: { tags_list: ['Too many tags specified. Please limit the number of tags to 50'] },
    })
    expectError(await h.post('/runners', { body: { token, run_untagged: false } }), 400, {
      message: { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] },
    })
    expectError(await h.post('/runners', { body: { token, maximum_timeout: 599 } }), 400, {
      message: { maximum_timeout: ['needs to be at least 10 minutes'] },
    })
    expectError(await h.post('/runners', { body: { token, maintenance_note: 'x'.repeat(1025) } }), 400, {
      message: { maintenance_note: ['is too long (maximum is 1024 characters)'] },
    })
    expectError(await h.post('/runners', { body: { token, maintainer_note: 'x'.repeat(1025), run_untagged: 'false', maximum_timeout: 60 } }), 400, {
      message: {
        tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'],
        maximum_timeout: ['needs to be at least 10 minutes'],
        maintenance_note: ['is too long (maximum is 1024 characters)'],
      },
    })
    expect(h.app.world.store.state.runners.size).toBe(before)
  })

  it('accepts the boundary values: 50 tags, a 600 s timeout, a 1024-character note', async () => {
    const h = harness()
    const tags = Array.from({ length: 50 }, (_, i) => `t${i}`)
    const res = await h.post('/runners', {
      body: { token: REGISTRATION.apiProject, tag_list: tags, maximum_timeout: 600, maintenance_note: 'x'.repeat(1024) },
    })
    expect(res.status).toBe(201)
    expect((await details(h, res.body.id)).tag_list).toHaveLength(50)
  })

  it('enforces the per-project plan limit over recent runners, with the runner_projects.base error', async () => {
    // acme/frontend/web (102) has one runner (10, created 2 days ago); acme/backend/worker (101) has runner 7 and stale runner 9.
    const h = harness({ fixture: withSettings({ project_runner_limit: 2 }) })
    const reset = await h.post('/projects/102/runners/reset_registration_token', { token: TOKENS.admin })
    const webToken = reset.body.token as string
    expect((await h.post('/runners', { body: { token: webToken } })).status).toBe(201)
    expectError(await h.post('/runners', { body: { token: webToken } }), 400, {
      message: { 'runner_projects.base': ['Maximum number of ci registered project runners (2) exceeded'] },
    })
    // The stale runner 9 (created 8 months ago, last contact 4 months ago) does not count.
    const workerToken = (await h.post('/projects/101/runners/reset_registration_token', { token: TOKENS.admin })).body.token
    expect((await h.post('/runners', { body: { token: workerToken } })).status).toBe(201)
  })

  it('enforces the per-group plan limit with the runner_namespaces.base error', async () => {
    const h = harness({ fixture: withSettings({ group_runner_limit: 1 }) })
    expectError(await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } }), 400, {
      message: { 'runner_namespaces.base': ['Maximum number of ci registered group runners (1) exceeded'] },
    })
  })

  it('answers 410 Gone for any non-blank token when registration is switched off, 403 for a blank one', async () => {
    const h = harness({ fixture: withSettings({ registration_enabled: false }) })
    const gone = { message: '410 Gone - runner registration disallowed' }
    expectError(await h.post('/runners', { body: { token: REGISTRATION.instance } }), 410, gone)
    expectError(await h.post('/runners', { body: { token: REGISTRATION.apiProject } }), 410, gone)
    expectError(await h.post('/runners', { body: { token: 'unknown' } }), 410, gone)
    expectError(await h.post('/runners', { body: { token: '' } }), 403, { message: '403 Forbidden' })
  })

  it('registers group and project runners only for allowed registrars; the instance token always works', async () => {
    const projectsOnly = harness({ fixture: withSettings({ allowed_registrars: ['project'] }) })
    expectError(await projectsOnly.post('/runners', { body: { token: REGISTRATION.acmeGroup } }), 403, { message: '403 Forbidden' })
    expect((await projectsOnly.post('/runners', { body: { token: REGISTRATION.apiProject } })).status).toBe(201)
    const none = harness({ fixture: withSettings({ allowed_registrars: [] }) })
    expectError(await none.post('/runners', { body: { token: REGISTRATION.apiProject } }), 403, { message: '403 Forbidden' })
    expect((await none.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
  })

  it('takes ip_address from X-Forwarded-For as Rails does: the rightmost address that is not a local proxy', async () => {
    const h = harness()
    const ipOf = async (xff: string) => {
      const res = await h.post('/runners', { headers: { 'X-Forwarded-For': xff }, body: { token: REGISTRATION.instance } })
      return (await details(h, res.body.id)).ip_address
    }
    expect(await ipOf('203.0.113.5')).toBe('203.0.113.5')
    expect(await ipOf('203.0.113.5, 198.51.100.7')).toBe('198.51.100.7')
    expect(await ipOf('203.0.113.5, 127.0.0.1')).toBe('203.0.113.5')
    expect(await ipOf('unknown, 203.0.113.9')).toBe('203.0.113.9')
    expect(await ipOf('127.0.0.1')).toBe('127.0.0.1')
  })
})

describe('runner-side calls over a real socket', () => {
  let server: MockServer
  beforeAll(async () => {
    server = await startMockServer({ clock: '2026-01-15T12:00:00.000Z' })
  })
  afterAll(async () => {
    await server.close()
  })

  it('records the socket peer as ip_address without X-Forwarded-For, and the forwarded address with it', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/v4${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
    const res = await post('/runners', { token: server.tokens.registration.instance })
    expect(res.status).toBe(201)
    const { id, token } = (await res.json()) as { id: number; token: string }
    expect(server.world.store.runner(id)?.ipAddress).toBe('127.0.0.1')
    expect((await post('/runners/verify', { token }, { 'X-Forwarded-For': '198.51.100.20' })).status).toBe(200)
    expect(server.world.store.runner(id)?.ipAddress).toBe('198.51.100.20')
  })
})

describe('POST /runners/verify', () => {
  it('answers 200 with the id, the same token and its expiry, and marks the runner as contacted now', async () => {
    const h = harness()
    const reg = await h.post('/runners', { body: { token: REGISTRATION.apiProject } })
    expect((await details(h, reg.body.id)).status).toBe('never_contacted')
    const res = await h.post('/runners/verify', { headers: { 'X-Forwarded-For': '198.51.100.1' }, body: { token: reg.body.token } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id: reg.body.id, token: reg.body.token, token_expires_at: null })
    expect(await details(h, reg.body.id)).toMatchObject({
      online: true,
      status: 'online',
      contacted_at: new Date(h.app.world.clock.now()).toISOString(),
      ip_address: '198.51.100.1',
    })
  })

  it('accepts system_id, and keeps the version details a runner reports in info', async () => {
    const h = harness()
    const res = await h.post('/runners/verify', {
      body: { token: RUNNER_TOKENS.api6, system_id: 's_0123456789ab', info: { version: '16.0.0', name: 'renamed' } },
    })
    expect(res.status).toBe(200)
    expect(await details(h, 6)).toMatchObject({ version: '16.0.0', name: 'gitlab-runner' })
  })

  it('shows a paused runner that has just verified as online: true with status paused', async () => {
    const h = harness()
    const reg = await h.post('/runners', { body: { token: REGISTRATION.instance, paused: true } })
    await h.post('/runners/verify', { body: { token: reg.body.token } })
    expect(await details(h, reg.body.id)).toMatchObject({ online: true, status: 'paused' })
  })

  it('answers 403 for an unknown token and 400 without one', async () => {
    const h = harness()
    expectError(await h.post('/runners/verify', { body: { token: 'nope' } }), 403, { message: '403 Forbidden' })
    expectError(await h.post('/runners/verify', { body: { token: REGISTRATION.instance } }), 403, { message: '403 Forbidden' })
    expectError(await h.post('/runners/verify', { body: {} }), 400, { error: 'token is missing' })
  })
})

describe('DELETE /runners (by authentication token)', () => {
  it.each([
    ['a JSON body (gitlab-runner, gitbeaker)', (token: string) => ({ body: { token } })],
    ['the query string (go-gitlab)', (token: string) => ({ query: { token } })],
    ['a form body (curl --form)', (token: string) => ({ form: { token } })],
    ['a multipart body', (token: string) => multipart([['token', token]])],
  ])('deletes the runner with the token in %s: 204 with an empty body', async (_, send) => {
    const h = harness()
    const res = await h.del('/runners', send(RUNNER_TOKENS.api6))
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expectError(await h.get('/runners/6', { token: TOKENS.admin }), 404, { message: '404 Not found' })
    expectError(await h.del('/runners', send(RUNNER_TOKENS.api6)), 403, { message: '403 Forbidden' })
  })

  it('answers 403 for an unknown token and 400 without one', async () => {
    const h = harness()
    expectError(await h.del('/runners', { body: { token: 'unknown-token' } }), 403, { message: '403 Forbidden' })
    expectError(await h.del('/runners', { body: {} }), 400, { error: 'token is missing' })
    expectError(await h.del('/runners'), 400, { error: 'token is missing' })
  })

  it('honours If-Unmodified-Since: 412 and nothing deleted when the runner changed later', async () => {
    const h = harness()
    const old = new Date(Date.parse('2020-01-01T00:00:00Z')).toUTCString()
    expectError(await h.del('/runners', { headers: { 'If-Unmodified-Since': old }, body: { token: RUNNER_TOKENS.api6 } }), 412, {
      message: '412 Precondition Failed',
    })
    expect(h.app.world.store.runner(6)).toBeDefined()
    const later = new Date(h.app.world.clock.now() + 60_000).toUTCString()
    expect((await h.del('/runners', { headers: { 'If-Unmodified-Since': later }, body: { token: RUNNER_TOKENS.api6 } })).status).toBe(204)
  })
})

describe('POST /runners/reset_authentication_token', () => {
  it('answers 201 with a new token; the old one stops working for verify, delete and reset at once', async () => {
    const h = harness()
    const res = await h.post('/runners/reset_authentication_token', { body: { token: RUNNER_TOKENS.acmeGroup4 } })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token', 'token_expires_at'])
    expect(res.body.token).toMatch(AUTH_TOKEN)
    expect(res.body.token).not.toBe(RUNNER_TOKENS.acmeGroup4)
    const forbidden = { message: '403 Forbidden' }
    expectError(await h.post('/runners/verify', { body: { token: RUNNER_TOKENS.acmeGroup4 } }), 403, forbidden)
    expectError(await h.post('/runners/reset_authentication_token', { body: { token: RUNNER_TOKENS.acmeGroup4 } }), 403, forbidden)
    expectError(await h.del('/runners', { body: { token: RUNNER_TOKENS.acmeGroup4 } }), 403, forbidden)
    expect((await h.post('/runners/verify', { body: { token: res.body.token } })).body).toEqual({ id: 4, token: res.body.token, token_expires_at: null })
  })

  it('counts as contact: a never-contacted runner comes online', async () => {
    const h = harness()
    const reg = await h.post('/runners', { body: { token: REGISTRATION.instance } })
    await h.post('/runners/reset_authentication_token', { body: { token: reg.body.token } })
    expect(await details(h, reg.body.id)).toMatchObject({ online: true, status: 'online' })
  })

  it('answers 403 for an unknown token and 400 without one', async () => {
    const h = harness()
    expectError(await h.post('/runners/reset_authentication_token', { body: { token: 'x' } }), 403, { message: '403 Forbidden' })
    expectError(await h.post('/runners/reset_authentication_token', { body: {} }), 400, { error: 'token is missing' })
  })
})

describe('DELETE /runners and If-Unmodified-Since', () => {
  it('compares like DELETE /runners/:id: a change later within the same second answers 412', async () => {
    const h = harness({ clock: '2026-01-15T12:00:00.500Z' })
    const { token } = (await h.post('/runners', { body: { token: REGISTRATION.instance } })).body
    const header = { 'If-Unmodified-Since': 'Thu, 15 Jan 2026 12:00:00 GMT' }
    expectError(await h.del('/runners', { headers: header, body: { token } }), 412, { message: '412 Precondition Failed' })
    expect((await h.post('/runners/verify', { body: { token } })).status).toBe(200)
  })
})
