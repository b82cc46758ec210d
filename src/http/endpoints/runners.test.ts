/** @module Route tests of the user-token runner endpoints (/runners…): permissions, filters, pagination, ids, bodies, updates and token resets, each asserting status, exact body and the state afterwards. */
import { describe, expect, it } from 'vitest'
import {
  REGISTRATION,
  RUNNER_TOKENS,
  TOKENS,
  expectError,
  harness,
  type Harness,
  type SendOptions,
  type TestResponse,
} from '../../../test/harness.js'
import type { Fixture } from '../../seed/fixture-types.js'
import { DEFAULT_FIXTURE } from '../../world.js'

/** The default fixture's named records only (no seeded filler), so every list is known exactly. */
const NAMED: Fixture = { ...DEFAULT_FIXTURE, generate: undefined }
const named = (): Harness => harness({ fixture: NAMED })
const ids = (res: TestResponse): number[] => (res.body as Array<{ id: number }>).map((r) => r.id)

const NO_ACCESS = { message: '403 Forbidden - No access granted' }
const FORBIDDEN = { message: '403 Forbidden' }
const NOT_FOUND = { message: '404 Not found' }
const INSUFFICIENT_SCOPE = {
  error: 'insufficient_scope',
  error_description: 'The request requires higher privileges than provided by the access token.',
  scope: 'api',
}
const AT_LEAST_ONE = {
  error:
    'description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided',
}

describe('GET /runners/:id (smoke)', () => {
  it('shows an instance runner to any signed-in user', async () => {
    const h = harness()
    const res = await h.get('/runners/1', { token: TOKENS.outsider })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: 1, is_shared: true, runner_type: 'instance_type', projects: [], groups: [] })
  })

  it('answers 401 without a token, before validating the id', async () => {
    expectError(await harness().get('/runners/abc'), 401, { message: '401 Unauthorized' })
  })

  it('answers 400 for a non-numeric id and 404 for an unknown one', async () => {
    const h = harness()
    expectError(await h.get('/runners/abc', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
    expectError(await h.get('/runners/99999', { token: TOKENS.admin }), 404, { message: '404 Not found' })
  })

  it('refuses a project runner to a user who does not own it', async () => {
    expectError(await harness().get('/runners/6', { token: TOKENS.reporter }), 403, { message: '403 Forbidden - No access granted' })
  })
})

describe('authentication on the management endpoints', () => {
  it.each([
    ['GET', '/runners'],
    ['GET', '/runners/all'],
    ['GET', '/runners/6'],
    ['PUT', '/runners/6'],
    ['DELETE', '/runners/6'],
    ['GET', '/runners/6/jobs'],
    ['POST', '/runners/6/reset_authentication_token'],
    ['POST', '/runners/reset_registration_token'],
  ])('%s %s answers 401 without a token, with a wrong one, and for expired or revoked tokens', async (method, path) => {
    const h = named()
    expectError(await h.request(method, path), 401, { message: '401 Unauthorized' })
    expectError(await h.request(method, path, { token: 'glpat-nope' }), 401, { message: '401 Unauthorized' })
    const expired = await h.request(method, path, { token: TOKENS.expired })
    expectError(expired, 401, {
      error: 'invalid_token',
      error_description: 'Token is expired. You can either do re-authorization or token refresh.',
    })
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm=.*error="invalid_token"/)
    expectError(await h.request(method, path, { token: TOKENS.revoked }), 401, {
      error: 'invalid_token',
      error_description: 'Token was revoked. You have to re-authorize from the user.',
    })
  })

  it('accepts the token as PRIVATE-TOKEN in any case, as Bearer, and as private_token / access_token parameters', async () => {
    const h = named()
    const sends: SendOptions[] = [
      { headers: { 'private-token': TOKENS.maintainer } },
      { headers: { 'Private-Token': TOKENS.maintainer } },
      { headers: { Authorization: `Bearer ${TOKENS.maintainer}` } },
      { query: { private_token: TOKENS.maintainer } },
      { query: { access_token: TOKENS.maintainer } },
    ]
    for (const send of sends) {
      const res = await h.get('/runners', send)
      expect(res.status, JSON.stringify(send)).toBe(200)
      expect(ids(res)).toEqual([6, 7, 8, 9, 11])
      // Credentials are never echoed into Link URLs.
      expect(res.headers.get('link')).not.toContain('token')
    }
  })

  it('lets a read_api token read but refuses every write with insufficient_scope, changing nothing', async () => {
    const h = named()
    expect((await h.get('/runners/6', { token: TOKENS.maintainerReadOnly })).status).toBe(200)
    expect((await h.get('/runners', { token: TOKENS.maintainerReadOnly })).status).toBe(200)
    const writes: Array<[string, string, unknown]> = [
      ['PUT', '/runners/6', { description: 'changed' }],
      ['DELETE', '/runners/6', undefined],
      ['POST', '/runners/6/reset_authentication_token', undefined],
      ['POST', '/runners/reset_registration_token', undefined],
    ]
    for (const [method, path, body] of writes) {
      const res = await h.request(method, path, { token: TOKENS.maintainerReadOnly, body })
      expectError(res, 403, INSUFFICIENT_SCOPE)
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    }
    expectError(await h.put('/runners/6', { token: TOKENS.adminReadOnly, body: { description: 'x' } }), 403, INSUFFICIENT_SCOPE)
    const after = await h.get('/runners/6', { token: TOKENS.admin })
    expect(after.body).toMatchObject({ id: 6, description: 'api-runner' })
    const verify = await h.post('/runners/verify', { body: { token: RUNNER_TOKENS.api6 } })
    expect(verify.status).toBe(200)
  })
})

describe('sudo', () => {
  it.each([
    ['header', { headers: { Sudo: 'bob' } }],
    ['query parameter', { query: { sudo: 'bob' } }],
    ['user id', { headers: { Sudo: '3' } }],
    ['username in another case', { query: { sudo: 'BOB' } }],
  ])('lets an admin act as another user by %s', async (_, send) => {
    const res = await named().get('/runners', { token: TOKENS.admin, ...send })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual([6, 7, 8, 9, 11])
  })

  it('applies the target user\'s permissions, also on writes and with sudo in a JSON body', async () => {
    const h = named()
    expectError(await h.get('/runners/6', { token: TOKENS.admin, headers: { Sudo: 'carol' } }), 403, NO_ACCESS)
    expectError(await h.put('/runners/6', { token: TOKENS.admin, body: { sudo: 'carol', description: 'x' } }), 403, NO_ACCESS)
    expectError(await h.get('/runners/all', { token: TOKENS.admin, query: { sudo: 'bob' } }), 403, FORBIDDEN)
    const res = await h.put('/runners/6', { token: TOKENS.admin, body: { sudo: 'bob', description: 'by bob' } })
    expect(res.status).toBe(200)
    expect((await h.get('/runners/6', { token: TOKENS.admin })).body.description).toBe('by bob')
  })

  it('refuses sudo to non-admins, to tokens without the sudo scope, and for unknown users', async () => {
    const h = named()
    expectError(await h.get('/runners', { token: TOKENS.maintainer, headers: { Sudo: 'alice' } }), 403, {
      message: '403 Forbidden - Must be admin to use sudo',
    })
    expectError(await h.get('/runners', { token: TOKENS.maintainer, query: { sudo: 'alice' } }), 403, {
      message: '403 Forbidden - Must be admin to use sudo',
    })
    expectError(await h.get('/runners', { token: TOKENS.adminReadOnly, headers: { Sudo: 'bob' } }), 403, {
      ...INSUFFICIENT_SCOPE,
      scope: 'sudo',
    })
    expectError(await h.get('/runners/6', { token: TOKENS.admin, headers: { Sudo: 'nobody' } }), 404, {
      message: "404 User with ID or username 'nobody' Not Found",
    })
    expectError(await h.put('/runners/6', { token: TOKENS.admin, query: { sudo: '9999' }, body: { paused: true } }), 404, {
      message: "404 User with ID or username '9999' Not Found",
    })
  })
})

describe('GET /runners (owned runners)', () => {
  it.each([
    ['admin', TOKENS.admin, []],
    ['group owner alice', TOKENS.groupOwner, [4, 5, 6, 7, 8, 9, 10, 12]],
    ['group maintainer frank', TOKENS.groupMaintainer, [6, 7, 8, 9, 10, 12]],
    ['project maintainer bob', TOKENS.maintainer, [6, 7, 8, 9, 11]],
    ['developer carol (maintainer of acme/frontend/web only)', TOKENS.developer, [10]],
    ['reporter dave', TOKENS.reporter, []],
    ['outsider erin', TOKENS.outsider, []],
  ])('returns what %s owns, never instance runners, in id order', async (_, token, expected) => {
    const res = await named().get('/runners', { token })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it('serializes the Runner entity with its fields in GitLab order', async () => {
    const res = await named().get('/runners', { token: TOKENS.maintainer, query: { per_page: 1 } })
    expect(res.text).toBe(
      '[{"id":6,"description":"api-runner","ip_address":"10.0.2.6","active":true,"paused":false,"is_shared":false,' +
        '"runner_type":"project_type","name":"gitlab-runner","online":true,"status":"online"}]',
    )
  })

  it.each([
    ['scope=online', [6, 7, 8]],
    ['scope=offline', [9, 11]],
    ['scope=stale', [9]],
    ['scope=active', [6, 7, 8, 9, 11]],
    ['scope=paused', []],
    ['type=project_type', [6, 7, 8, 9, 11]],
    ['type=group_type', []],
    ['status=online&tag_list=docker', [6, 7]],
  ])('filters bob\'s runners by %s', async (qs, expected) => {
    const res = await named().get('/runners', { token: TOKENS.maintainer, rawQuery: qs })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it.each(['specific', 'shared', 'instance_type', 'group_type', 'project_type'])(
    'refuses the known scope %s at runtime with {"message":"Scope contains invalid value"}',
    async (scope) => {
      expectError(await named().get('/runners', { token: TOKENS.maintainer, query: { scope } }), 400, {
        message: 'Scope contains invalid value',
      })
    },
  )

  it('refuses an unknown scope at validation with {"error":"scope does not have a valid value"}', async () => {
    expectError(await named().get('/runners', { token: TOKENS.maintainer, query: { scope: 'bogus' } }), 400, {
      error: 'scope does not have a valid value',
    })
  })
})

describe('GET /runners/all', () => {
  it('is admin only', async () => {
    const h = named()
    const res = await h.get('/runners/all', { token: TOKENS.admin })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    for (const token of [TOKENS.groupOwner, TOKENS.groupMaintainer, TOKENS.maintainer, TOKENS.developer, TOKENS.reporter, TOKENS.outsider])
      expectError(await h.get('/runners/all', { token }), 403, FORBIDDEN)
    expectError(await h.get('/runners/all'), 401, { message: '401 Unauthorized' })
  })

  it.each([
    ['scope=specific', [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
    ['scope=shared', [1, 2, 3]],
    ['scope=instance_type', [1, 2, 3]],
    ['scope=group_type', [4, 5, 13]],
    ['scope=online', [1, 4, 5, 6, 7, 8, 12]],
    ['type=group_type', [4, 5, 13]],
    ['type=instance_type', [1, 2, 3]],
    ['status=online', [1, 4, 5, 6, 7, 8, 12]],
    ['status=offline', [2, 9, 11, 13]],
    ['status=never_contacted', [3, 10]],
    ['status=not_connected', [3, 10]],
    ['status=stale', [9]],
    ['status=active', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]],
    ['status=paused', [5]],
    ['paused=true', [5]],
    ['paused=True', [5]],
    ['paused=1', [5]],
    ['paused=yes', [5]],
    ['paused=false', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]],
    ['paused=False', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]],
    ['paused=0', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]],
    // A blank paused reaches GitLab as nil; `params.include?(:paused)` then filters the active ones.
    ['paused=', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]],
    ['tag_list=docker', [1, 6, 7]],
    ['tag_list=docker,linux', [1, 6]],
    ['tag_list=docker%2Clinux', [1, 6]],
    ['tag_list=%20docker%20,%20linux%20', [1, 6]],
    ['tag_list%5B%5D=docker&tag_list%5B%5D=linux', [1, 6]],
    ['tag_list[]=docker&tag_list[]=linux', [1, 6]],
    // Rack keeps the last value of a repeated plain key: GitLab filters by `linux` only.
    ['tag_list=docker&tag_list=linux', [1, 4, 5, 6, 13]],
    ['tag_list=linux&tag_list=docker', [1, 6, 7]],
    ['tag_list=Docker', []],
    ['tag_list=docker,gpu', []],
    ['status=active&paused=true', []],
    ['type=project_type&status=online&tag_list=docker', [6, 7]],
    ['scope=shared&type=group_type', []],
    ['all=False&custom%5Bx%5D=1&id=0', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ])('filters with %s', async (qs, expected) => {
    const res = await named().get('/runners/all', { token: TOKENS.admin, rawQuery: qs })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it.each([
    ['scope=bogus', { error: 'scope does not have a valid value' }],
    ['type=bogus', { error: 'type does not have a valid value' }],
    ['type=project', { error: 'type does not have a valid value' }],
    ['status=bogus', { error: 'status does not have a valid value' }],
    ['status=ONLINE', { error: 'status does not have a valid value' }],
    ['paused=maybe', { error: 'paused is invalid' }],
    ['paused=tRuE', { error: 'paused is invalid' }],
    ['type=bogus&paused=maybe', { error: 'type does not have a valid value, paused is invalid' }],
    ['per_page=0', { error: 'per_page has a value not allowed' }],
    ['page=abc', { error: 'page is invalid' }],
  ])('refuses %s', async (qs, body) => {
    expectError(await named().get('/runners/all', { token: TOKENS.admin, rawQuery: qs }), 400, body)
  })
})

describe('pagination of the runner lists', () => {
  it('sends every X-* header and a Link with quoted rel and absolute URLs from the request origin', async () => {
    const res = await named().get('/runners', { token: TOKENS.maintainer, query: { per_page: 2, page: 2 } })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual([8, 9])
    const h = Object.fromEntries(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((k) => [k, res.headers.get(k)]))
    expect(h).toEqual({ 'x-page': '2', 'x-per-page': '2', 'x-next-page': '3', 'x-prev-page': '1', 'x-total': '5', 'x-total-pages': '3' })
    const url = (page: number) => `<http://gitlab.test/api/v4/runners?page=${page}&per_page=2>`
    expect(res.headers.get('link')).toBe(
      `${url(1)}; rel="prev", ${url(3)}; rel="next", ${url(1)}; rel="first", ${url(3)}; rel="last"`,
    )
  })

  it('uses 20 per page by default, clamps above 100, falls back to 20 for a negative per_page and to page 1 for page ≤ 0', async () => {
    const h = harness() // default world: 31 runners
    const first = await h.get('/runners/all', { token: TOKENS.admin })
    expect([first.body.length, first.headers.get('x-per-page'), first.headers.get('x-total'), first.headers.get('x-total-pages')]).toEqual([
      20,
      '20',
      '31',
      '2',
    ])
    const all = await h.get('/runners/all', { token: TOKENS.admin, query: { per_page: 1000 } })
    expect([all.body.length, all.headers.get('x-per-page'), all.headers.get('x-next-page')]).toEqual([31, '100', ''])
    const negative = await h.get('/runners/all', { token: TOKENS.admin, query: { per_page: -3 } })
    expect([negative.body.length, negative.headers.get('x-per-page')]).toEqual([20, '20'])
    const zero = await h.get('/runners/all', { token: TOKENS.admin, query: { page: 0 } })
    expect([zero.headers.get('x-page'), zero.headers.get('x-prev-page'), ids(zero)]).toEqual(['1', '', ids(first)])
  })

  it('pages through every runner in ascending id order without gaps or repeats', async () => {
    const h = harness()
    const seen: number[] = []
    let next: string | null = '1'
    while (next) {
      const res = await h.get('/runners/all', { token: TOKENS.admin, query: { per_page: 7, page: next } })
      seen.push(...ids(res))
      next = res.headers.get('x-next-page') || null
    }
    expect(seen).toHaveLength(31)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(new Set(seen).size).toBe(31)
  })

  it('lists in ascending id order runners a fixture names out of id order, before and after writes (GitLab pages by id)', async () => {
    const h = harness({
      fixture: {
        users: [{ username: 'root', admin: true, tokens: [{ token: 'glpat-root' }] }],
        runners: [
          { id: 900, runner_type: 'instance_type', description: 'late' },
          { id: 40, runner_type: 'instance_type', description: 'early' },
          { id: 2_000_000_000, runner_type: 'instance_type', description: 'far' },
          { id: 41, runner_type: 'instance_type', description: 'next' },
        ],
      },
    })
    const list = async () => ids(await h.get('/runners/all', { token: 'glpat-root' }))
    expect(await list()).toEqual([40, 41, 900, 2_000_000_000])
    expect((await h.put('/runners/900', { token: 'glpat-root', body: { description: 'written' } })).status).toBe(200)
    expect((await h.del('/runners/41', { token: 'glpat-root' })).status).toBe(204)
    expect(await list()).toEqual([40, 900, 2_000_000_000])
    const second = await h.get('/runners/all', { token: 'glpat-root', query: { per_page: 1, page: 2 } })
    expect(second.body).toMatchObject([{ id: 900, description: 'written' }])
  })

  it('answers an empty page past the end with no prev or next', async () => {
    const res = await named().get('/runners', { token: TOKENS.maintainer, query: { page: 9 } })
    expect(res.body).toEqual([])
    expect([res.headers.get('x-page'), res.headers.get('x-prev-page'), res.headers.get('x-next-page'), res.headers.get('x-total-pages')]).toEqual([
      '9',
      '',
      '',
      '1',
    ])
    expect(res.headers.get('link')).toBe(
      '<http://gitlab.test/api/v4/runners?page=1&per_page=20>; rel="first", <http://gitlab.test/api/v4/runners?page=1&per_page=20>; rel="last"',
    )
  })

  it('sends the headers on an empty list too, with one total page', async () => {
    const res = await named().get('/runners', { token: TOKENS.outsider })
    expect(res.body).toEqual([])
    expect([res.headers.get('x-total'), res.headers.get('x-total-pages'), res.headers.get('x-page'), res.headers.get('x-next-page')]).toEqual([
      '0',
      '1',
      '1',
      '',
    ])
  })

  it('echoes the filters into Link (keys sorted, arrays as key[]) and builds it from the external URL when configured', async () => {
    const h = harness({ fixture: NAMED, externalUrl: 'https://gitlab.example.com/prefix/' })
    const res = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: 'tag_list[]=linux&status=online&per_page=2' })
    expect(ids(res)).toEqual([1, 4])
    const url = (page: number) =>
      `<https://gitlab.example.com/prefix/api/v4/runners/all?page=${page}&per_page=2&status=online&tag_list%5B%5D=linux>`
    expect(res.headers.get('link')).toBe(`${url(2)}; rel="next", ${url(1)}; rel="first", ${url(2)}; rel="last"`)
  })

  it('leaves out X-Total, X-Total-Pages and rel="last" above 10 000 rows, and keeps them at exactly 10 000', async () => {
    const big = harness({ fixture: { ...NAMED, generate: { runners: 9_988 } } })
    const over = await big.get('/runners/all', { token: TOKENS.admin, query: { per_page: 100, page: 3 } })
    expect(over.status).toBe(200)
    expect(over.body).toHaveLength(100)
    expect([over.headers.get('x-total'), over.headers.get('x-total-pages'), over.headers.get('x-next-page'), over.headers.get('x-prev-page')]).toEqual([
      null,
      null,
      '4',
      '2',
    ])
    expect(over.headers.get('link')).not.toContain('rel="last"')
    expect(over.headers.get('link')).toContain('rel="next"')
    const exact = harness({ fixture: { ...NAMED, generate: { runners: 9_987 } } })
    const at = await exact.get('/runners/all', { token: TOKENS.admin, query: { per_page: 100 } })
    expect([at.headers.get('x-total'), at.headers.get('x-total-pages')]).toEqual(['10000', '100'])
    expect(at.headers.get('link')).toContain('page=100&per_page=100>; rel="last"')
  })
})

describe('GET /runners/:id', () => {
  it.each([
    ['admin', TOKENS.admin, [1, 4, 5, 6, 7, 8, 10, 11, 13], []],
    ['group owner alice', TOKENS.groupOwner, [1, 4, 5, 6, 7, 8, 10, 12], [11, 13]],
    ['group maintainer frank', TOKENS.groupMaintainer, [1, 6, 7, 8, 10, 12], [4, 5, 11, 13]],
    ['project maintainer bob', TOKENS.maintainer, [1, 2, 6, 7, 8, 9, 11], [4, 5, 10, 12, 13]],
    ['developer carol', TOKENS.developer, [1, 10], [4, 5, 6, 7, 8]],
    ['reporter dave', TOKENS.reporter, [1, 3], [4, 6, 7, 8]],
    ['outsider erin', TOKENS.outsider, [1, 2, 3], [4, 6, 13]],
  ])('lets %s read %j and refuses %j with No access granted', async (_, token, readable, refused) => {
    const h = named()
    for (const id of readable) {
      const res = await h.get(`/runners/${id}`, { token })
      expect(res.status, `runner ${id}`).toBe(200)
      expect(res.body.id).toBe(id)
    }
    for (const id of refused) expectError(await h.get(`/runners/${id}`, { token }), 403, NO_ACCESS)
  })

  it('answers 404 Not found for unknown and huge ids, and id is invalid for non-numeric ones', async () => {
    const h = named()
    expectError(await h.get('/runners/0', { token: TOKENS.outsider }), 404, NOT_FOUND)
    expectError(await h.get('/runners/99999999999999999999', { token: TOKENS.admin }), 404, NOT_FOUND)
    expectError(await h.get('/runners/9999', { token: TOKENS.outsider }), 404, NOT_FOUND)
    expectError(await h.get('/runners/6abc', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
    expectError(await h.get('/runners/1.5', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
  })

  it('returns RunnerDetails; projects and groups are limited to those the caller belongs to (admin sees all)', async () => {
    const h = named()
    const admin = await h.get('/runners/7', { token: TOKENS.admin })
    expect(Object.keys(admin.body)).toEqual([
      'id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'status',
      'tag_list', 'run_untagged', 'locked', 'maximum_timeout', 'access_level', 'version', 'revision', 'platform',
      'architecture', 'contacted_at', 'projects', 'groups',
    ])
    expect(admin.body.projects.map((p: { path_with_namespace: string }) => p.path_with_namespace)).toEqual([
      'acme/backend/api',
      'acme/backend/worker',
    ])
    const group = await h.get('/runners/4', { token: TOKENS.groupOwner })
    expect(group.body.groups).toEqual([{ id: 10, web_url: 'http://gitlab.test/groups/acme', name: 'ACME' }])
    expect(group.body.projects).toEqual([])
    const locked = await h.get('/runners/8', { token: TOKENS.maintainer })
    expect(locked.body).toMatchObject({ locked: true, run_untagged: false, access_level: 'ref_protected', maximum_timeout: 3600, tag_list: ['gpu'] })
    expect(locked.body).not.toHaveProperty('token')
    expect(locked.body).not.toHaveProperty('maintenance_note')
  })
})

describe('PUT /runners/:id', () => {
  it('changes only the given fields and returns the updated details', async () => {
    const h = named()
    const before = (await h.get('/runners/6', { token: TOKENS.admin })).body
    const res = await h.put('/runners/6', { token: TOKENS.maintainer, body: { description: 'renamed' } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ...before, description: 'renamed' })
    expect((await h.get('/runners/6', { token: TOKENS.admin })).body).toEqual({ ...before, description: 'renamed' })
  })

  it.each([
    [{ paused: true }, { active: false, paused: true }],
    [{ paused: 'true' }, { active: false, paused: true }],
    [{ active: false }, { active: false, paused: true }],
    [{ active: 'False' }, { active: false, paused: true }],
    [{ paused: false }, { active: true, paused: false }],
    [{ tag_list: ['b', 'a', 'a'] }, { tag_list: ['b', 'a'] }],
    [{ tag_list: 'x, y' }, { tag_list: ['x', 'y'] }],
    [{ run_untagged: false }, { run_untagged: false }],
    [{ locked: 'yes' }, { locked: true }],
    [{ access_level: 'ref_protected' }, { access_level: 'ref_protected' }],
    [{ maximum_timeout: 600 }, { maximum_timeout: 600 }],
    [{ maximum_timeout: '7200' }, { maximum_timeout: 7200 }],
    [{ description: '' }, { description: '' }],
  ])('applies %j', async (body, expected) => {
    const h = named()
    const res = await h.put('/runners/6', { token: TOKENS.maintainer, body })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject(expected)
    expect((await h.get('/runners/6', { token: TOKENS.admin })).body).toMatchObject(expected)
  })

  it('takes form-urlencoded and multipart bodies as well as JSON', async () => {
    const h = named()
    const form = await h.put('/runners/6', { token: TOKENS.maintainer, form: { description: 'form', 'tag_list': 'a,b', paused: 'true' } })
    expect(form.status).toBe(200)
    expect(form.body).toMatchObject({ description: 'form', tag_list: ['a', 'b'], paused: true })
    const multipart = new FormData()
    multipart.append('description', 'multi')
    multipart.append('tag_list[]', 'c')
    multipart.append('tag_list[]', 'd')
    const res = await h.app.request('http://gitlab.test/api/v4/runners/6', {
      method: 'PUT',
      headers: { 'PRIVATE-TOKEN': TOKENS.maintainer },
      body: multipart,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toMatchObject({ description: 'multi', tag_list: ['c', 'd'], paused: true })
  })

  it.each([
    [{}, AT_LEAST_ONE],
    [{ maintenance_note: 'note' }, AT_LEAST_ONE],
    [{ active: true, paused: false }, { error: 'active, paused are mutually exclusive' }],
    [{ access_level: 'everyone' }, { error: 'access_level does not have a valid value' }],
    [{ paused: 'maybe' }, { error: 'paused is invalid' }],
    [{ maximum_timeout: 'soon' }, { error: 'maximum_timeout is invalid' }],
    [{ tag_list: { a: 1 } }, { error: 'tag_list is invalid' }],
  ])('refuses %j with a parameter error and changes nothing', async (body, error) => {
    const h = named()
    const before = (await h.get('/runners/6', { token: TOKENS.admin })).body
    expectError(await h.put('/runners/6', { token: TOKENS.maintainer, body }), 400, error)
    expect((await h.get('/runners/6', { token: TOKENS.admin })).body).toEqual(before)
  })

  it.each([
    [6, { maximum_timeout: 599 }, { maximum_timeout: ['needs to be at least 10 minutes'] }],
    [6, { tag_list: Array.from({ length: 51 }, (_, i) => `t${i}`) }, { tags_list: ['Too many tags specified. Please limit the number of tags to 50'] }],
    [6, { tag_list: [], run_untagged: false }, { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] }],
    [8, { tag_list: [] }, { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] }],
    [6, { tag_list: [], run_untagged: false, maximum_timeout: 10 }, {
      tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'],
      maximum_timeout: ['needs to be at least 10 minutes'],
    }],
  ])('refuses runner %i %j with a model validation error and changes nothing', async (id, body, errors) => {
    const h = named()
    const before = (await h.get(`/runners/${id}`, { token: TOKENS.admin })).body
    expectError(await h.put(`/runners/${id}`, { token: TOKENS.admin, body: { description: 'not applied', ...body } }), 400, { message: errors })
    expect((await h.get(`/runners/${id}`, { token: TOKENS.admin })).body).toEqual(before)
  })

  it('accepts exactly 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => `t${i}`)
    const res = await named().put('/runners/6', { token: TOKENS.maintainer, body: { tag_list: tags } })
    expect(res.status).toBe(200)
    expect(res.body.tag_list).toEqual(tags)
  })

  it.each([
    ['admin', TOKENS.admin, [1, 4, 6, 7, 13], []],
    ['group owner alice', TOKENS.groupOwner, [4, 5, 6, 7, 12], [1, 11, 13]],
    ['group maintainer frank', TOKENS.groupMaintainer, [6, 7, 10], [1, 4, 5, 11]],
    ['project maintainer bob (7 is linked to two of his projects)', TOKENS.maintainer, [6, 7, 11], [1, 4, 10]],
    ['developer carol', TOKENS.developer, [10], [1, 6, 7]],
    ['reporter dave', TOKENS.reporter, [], [1, 6]],
    ['outsider erin', TOKENS.outsider, [], [1, 6, 13]],
  ])('lets %s update %j and refuses %j with No access granted', async (_, token, allowed, refused) => {
    const h = named()
    for (const id of allowed) {
      const res = await h.put(`/runners/${id}`, { token, body: { description: `updated-${id}` } })
      expect(res.status, `runner ${id}`).toBe(200)
      expect(res.body.description).toBe(`updated-${id}`)
    }
    for (const id of refused) {
      const before = (await h.get(`/runners/${id}`, { token: TOKENS.admin })).body.description
      expectError(await h.put(`/runners/${id}`, { token, body: { description: 'nope' } }), 403, NO_ACCESS)
      expect((await h.get(`/runners/${id}`, { token: TOKENS.admin })).body.description).toBe(before)
    }
  })

  it('validates the parameters before looking the runner up, then answers 404 for an unknown id', async () => {
    const h = named()
    expectError(await h.put('/runners/9999', { token: TOKENS.outsider, body: {} }), 400, AT_LEAST_ONE)
    expectError(await h.put('/runners/9999', { token: TOKENS.outsider, body: { paused: true } }), 404, NOT_FOUND)
    expectError(await h.put('/runners/abc', { token: TOKENS.admin, body: { paused: true } }), 400, { error: 'id is invalid' })
  })
})

describe('DELETE /runners/:id', () => {
  it.each([
    ['admin deletes the multi-project runner', TOKENS.admin, 7],
    ['admin deletes an instance runner', TOKENS.admin, 1],
    ['bob deletes his single-project runner', TOKENS.maintainer, 6],
    ['bob deletes the locked runner of his project', TOKENS.maintainer, 8],
    ['alice deletes her group\'s runner', TOKENS.groupOwner, 4],
    ['alice deletes a subgroup\'s runner', TOKENS.groupOwner, 5],
    ['frank deletes a project runner in his group', TOKENS.groupMaintainer, 12],
    ['carol deletes the runner of the project she maintains', TOKENS.developer, 10],
  ])('%s: 204, empty, and the runner is gone', async (_, token, id) => {
    const h = named()
    const res = await h.del(`/runners/${id}`, { token })
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expectError(await h.get(`/runners/${id}`, { token: TOKENS.admin }), 404, NOT_FOUND)
  })

  it.each([
    ['bob', TOKENS.maintainer, 7, { message: '403 Forbidden - Runner associated with more than one project' }],
    ['erin (more-than-one-project is checked before ownership)', TOKENS.outsider, 7, { message: '403 Forbidden - Runner associated with more than one project' }],
    ['bob', TOKENS.maintainer, 1, NO_ACCESS],
    ['frank (group maintainers do not own group runners)', TOKENS.groupMaintainer, 4, NO_ACCESS],
    ['carol', TOKENS.developer, 6, NO_ACCESS],
    ['dave', TOKENS.reporter, 6, NO_ACCESS],
    ['erin', TOKENS.outsider, 6, NO_ACCESS],
    ['alice', TOKENS.groupOwner, 13, NO_ACCESS],
  ])('refuses %s on runner %i and keeps it', async (_, token, id, body) => {
    const h = named()
    expectError(await h.del(`/runners/${id}`, { token }), 403, body)
    expect((await h.get(`/runners/${id}`, { token: TOKENS.admin })).status).toBe(200)
  })

  it('answers 412 when If-Unmodified-Since is older than the runner, and deletes when it is not', async () => {
    const h = named()
    expectError(
      await h.del('/runners/6', { token: TOKENS.admin, headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } }),
      412,
      { message: '412 Precondition Failed' },
    )
    expect((await h.get('/runners/6', { token: TOKENS.admin })).status).toBe(200)
    // An unparsable date is ignored, as Rails does.
    const ignored = await h.del('/runners/8', { token: TOKENS.admin, headers: { 'If-Unmodified-Since': 'yesterday-ish' } })
    expect(ignored.status).toBe(204)
    const res = await h.del('/runners/6', { token: TOKENS.admin, headers: { 'If-Unmodified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' } })
    expect(res.status).toBe(204)
    expectError(await h.get('/runners/6', { token: TOKENS.admin }), 404, NOT_FOUND)
  })

  it('compares If-Unmodified-Since with updated_at at sub-second precision: strictly later is 412', async () => {
    const h = harness({ fixture: NAMED, clock: '2026-01-15T12:00:00.250Z' })
    expect((await h.put('/runners/6', { token: TOKENS.admin, body: { description: 'touched' } })).status).toBe(200)
    const header = { 'If-Unmodified-Since': 'Thu, 15 Jan 2026 12:00:00 GMT' }
    expectError(await h.del('/runners/6', { token: TOKENS.admin, headers: header }), 412, { message: '412 Precondition Failed' })
    const later = { 'If-Unmodified-Since': 'Thu, 15 Jan 2026 12:00:01 GMT' }
    expect((await h.del('/runners/6', { token: TOKENS.admin, headers: later })).status).toBe(204)
  })

  it('takes the JSON {} body gitbeaker sends and the empty JSON body python-gitlab sends', async () => {
    const h = named()
    expect((await h.del('/runners/6', { token: TOKENS.maintainer, body: {} })).status).toBe(204)
    expect((await h.del('/runners/11', { token: TOKENS.maintainer, body: '', headers: { 'Content-Type': 'application/json' } })).status).toBe(204)
  })

  it('answers 404 and 400 for unknown and non-numeric ids', async () => {
    const h = named()
    expectError(await h.del('/runners/9999', { token: TOKENS.maintainer }), 404, NOT_FOUND)
    expectError(await h.del('/runners/nine', { token: TOKENS.maintainer }), 400, { error: 'id is invalid' })
  })
})

describe('GET /runners/:id/jobs', () => {
  const jobIds = (res: TestResponse) => ids(res)

  it.each([
    ['', [1, 2, 3, 4, 5]],
    ['order_by=id', [5, 4, 3, 2, 1]],
    ['order_by=id&sort=desc', [5, 4, 3, 2, 1]],
    ['order_by=id&sort=asc', [1, 2, 3, 4, 5]],
    ['sort=desc', [1, 2, 3, 4, 5]],
    ['status=running', [3]],
    ['status=success', [1]],
    ['status=manual', []],
    ['status=failed&order_by=id', [2]],
  ])('lists runner 6\'s jobs with %j', async (qs, expected) => {
    const res = await named().get('/runners/6/jobs', { token: TOKENS.maintainer, rawQuery: qs })
    expect(res.status).toBe(200)
    expect(jobIds(res)).toEqual(expected)
  })

  it('returns JobBasicWithProject items, failure_reason only on failed jobs', async () => {
    const res = await named().get('/runners/6/jobs', { token: TOKENS.maintainer })
    const failed = res.body.find((j: { id: number }) => j.id === 2)
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'script_failure', web_url: 'http://gitlab.test/acme/backend/api/-/jobs/2' })
    expect(failed.project).toEqual({
      id: 100,
      description: 'The public API',
      name: 'API',
      name_with_namespace: 'ACME / Backend / API',
      path: 'api',
      path_with_namespace: 'acme/backend/api',
      created_at: expect.any(String),
    })
    for (const job of res.body.filter((j: { id: number }) => j.id !== 2)) expect(job).not.toHaveProperty('failure_reason')
  })

  it.each([
    ['admin sees every job', TOKENS.admin, [6, 7]],
    ['alice (owner of acme) sees both projects', TOKENS.groupOwner, [6, 7]],
    ['bob sees only the job of a project he can read', TOKENS.maintainer, [6]],
  ])('limits runner 7\'s jobs to readable projects: %s', async (_, token, expected) => {
    const res = await named().get('/runners/7/jobs', { token })
    expect(res.status).toBe(200)
    expect(jobIds(res)).toEqual(expected)
  })

  it.each([
    ['carol', TOKENS.developer, 6],
    ['dave', TOKENS.reporter, 6],
    ['erin', TOKENS.outsider, 6],
    ['frank on a group runner', TOKENS.groupMaintainer, 4],
    ['bob on an instance runner', TOKENS.maintainer, 1],
  ])('refuses %s with No access granted', async (_, token, id) => {
    expectError(await named().get(`/runners/${id}/jobs`, { token }), 403, NO_ACCESS)
  })

  it.each([
    ['status=bogus', { error: 'status does not have a valid value' }],
    ['order_by=name', { error: 'order_by does not have a valid value' }],
    ['sort=up', { error: 'sort does not have a valid value' }],
    ['per_page=0', { error: 'per_page has a value not allowed' }],
  ])('refuses %s', async (qs, body) => {
    expectError(await named().get('/runners/6/jobs', { token: TOKENS.maintainer, rawQuery: qs }), 400, body)
  })

  it('answers 404 and 400 for unknown and non-numeric ids, and an empty list for a runner without jobs', async () => {
    const h = named()
    expectError(await h.get('/runners/9999/jobs', { token: TOKENS.admin }), 404, NOT_FOUND)
    expectError(await h.get('/runners/x/jobs', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
    expect((await h.get('/runners/1/jobs', { token: TOKENS.admin })).body).toEqual([])
  })

  it('paginates with id and the default sort echoed into Link', async () => {
    const res = await named().get('/runners/6/jobs', { token: TOKENS.maintainer, query: { per_page: 2 } })
    expect(jobIds(res)).toEqual([1, 2])
    expect([res.headers.get('x-total'), res.headers.get('x-total-pages'), res.headers.get('x-next-page')]).toEqual(['5', '3', '2'])
    const url = (page: number) => `<http://gitlab.test/api/v4/runners/6/jobs?id=6&page=${page}&per_page=2&sort=desc>`
    expect(res.headers.get('link')).toBe(`${url(2)}; rel="next", ${url(1)}; rel="first", ${url(3)}; rel="last"`)
  })
})

describe('POST /runners/:id/reset_authentication_token', () => {
  it('answers 201 with a new token; the old one stops working and the new one works', async () => {
    const h = named()
    const res = await h.post('/runners/6/reset_authentication_token', { token: TOKENS.maintainer, body: {} })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token', 'token_expires_at'])
    expect(res.body.token_expires_at).toBeNull()
    expect(res.body.token).not.toBe(RUNNER_TOKENS.api6)
    expectError(await h.post('/runners/verify', { body: { token: RUNNER_TOKENS.api6 } }), 403, FORBIDDEN)
    expect((await h.post('/runners/verify', { body: { token: res.body.token } })).status).toBe(200)
  })

  it.each([
    ['admin', TOKENS.admin, 1, 201],
    ['alice on her group runner', TOKENS.groupOwner, 4, 201],
    ['bob on the multi-project runner', TOKENS.maintainer, 7, 201],
  ])('lets %s reset runner %i', async (_, token, id, status) => {
    expect((await named().post(`/runners/${id}/reset_authentication_token`, { token })).status).toBe(status)
  })

  it.each([
    ['bob on an instance runner', TOKENS.maintainer, 1],
    ['frank on a group runner', TOKENS.groupMaintainer, 4],
    ['carol', TOKENS.developer, 6],
    ['dave', TOKENS.reporter, 6],
    ['erin', TOKENS.outsider, 6],
  ])('refuses %s with No access granted and keeps the token', async (_, token, id) => {
    const h = named()
    const before = h.app.world.store.runner(id)?.token
    expectError(await h.post(`/runners/${id}/reset_authentication_token`, { token }), 403, NO_ACCESS)
    expect(h.app.world.store.runner(id)?.token).toBe(before)
    expect((await h.post('/runners/verify', { body: { token: before } })).status).toBe(200)
  })

  it('answers 404 for an unknown runner and 400 for a non-numeric id', async () => {
    const h = named()
    expectError(await h.post('/runners/9999/reset_authentication_token', { token: TOKENS.admin }), 404, NOT_FOUND)
    expectError(await h.post('/runners/x/reset_authentication_token', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
  })

  it('has no per-runner reset_registration_token route: GitLab\'s catch-all 404', async () => {
    expectError(await named().post('/runners/6/reset_registration_token', { token: TOKENS.admin, body: {} }), 404, {
      error: '404 Not Found',
    })
  })
})

describe('POST /runners/reset_registration_token', () => {
  it('answers 201 {token} to an admin; the new token registers runners and the old one is refused', async () => {
    const h = named()
    const res = await h.post('/runners/reset_registration_token', { token: TOKENS.admin })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token'])
    expect(res.body.token).not.toBe(REGISTRATION.instance)
    expectError(await h.post('/runners', { body: { token: REGISTRATION.instance } }), 403, FORBIDDEN)
    const registered = await h.post('/runners', { body: { token: res.body.token, description: 'new' } })
    expect(registered.status).toBe(201)
    expect((await h.get(`/runners/${registered.body.id}`, { token: TOKENS.admin })).body).toMatchObject({
      runner_type: 'instance_type',
      description: 'new',
    })
  })

  it('refuses everyone else with 403 Forbidden and keeps the token', async () => {
    const h = named()
    for (const token of [TOKENS.groupOwner, TOKENS.maintainer, TOKENS.outsider])
      expectError(await h.post('/runners/reset_registration_token', { token }), 403, FORBIDDEN)
    expect((await h.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
  })
})

describe('request bodies', () => {
  it('treats a JSON Content-Type with an empty body as no body, on GET and POST', async () => {
    const h = named()
    const headers = { 'Content-Type': 'application/json' }
    expect((await h.get('/runners', { token: TOKENS.maintainer, headers })).status).toBe(200)
    expect((await h.post('/runners/6/reset_authentication_token', { token: TOKENS.maintainer, body: '', headers })).status).toBe(201)
  })

  it('answers malformed JSON with a GitLab-shaped 400, never a 500, and changes nothing', async () => {
    const h = named()
    for (const body of ['{"description":', 'not json', '{"a":1}}'])
      expectError(
        await h.put('/runners/6', { token: TOKENS.maintainer, body, headers: { 'Content-Type': 'application/json' } }),
        400,
        { error: 'The request body is not valid JSON' },
      )
    expect((await h.get('/runners/6', { token: TOKENS.admin })).body.description).toBe('api-runner')
  })

  it('merges query and body parameters, the body winning', async () => {
    const h = named()
    const res = await h.put('/runners/6', { token: TOKENS.maintainer, query: { description: 'query', locked: 'true' }, body: { description: 'body' } })
    expect(res.body).toMatchObject({ description: 'body', locked: true })
  })
})

describe('validation order, as Grape runs it before the endpoint body', () => {
  it('checks page and per_page with the other parameters, before the runner lookup and permissions', async () => {
    const h = harness()
    const bad = { error: 'per_page has a value not allowed' }
    expectError(await h.get('/runners/999/jobs', { token: TOKENS.admin, rawQuery: 'per_page=0' }), 400, bad)
    expectError(await h.get('/runners/1/jobs', { token: TOKENS.maintainer, rawQuery: 'per_page=0' }), 400, bad)
    expectError(await h.get('/runners', { token: TOKENS.maintainer, rawQuery: 'scope=specific&per_page=0' }), 400, bad)
    expectError(await h.get('/runners/6/jobs', { token: TOKENS.admin, rawQuery: 'status=bogus&per_page=0' }), 400, {
      error: 'status does not have a valid value, per_page has a value not allowed',
    })
  })

  it('validates /runners/all parameters before refusing a non-admin', async () => {
    const h = harness()
    expectError(await h.get('/runners/all', { token: TOKENS.maintainer, rawQuery: 'type=bogus' }), 400, { error: 'type does not have a valid value' })
    expectError(await h.get('/runners/all', { token: TOKENS.maintainer, rawQuery: 'type=group_type' }), 403, { message: '403 Forbidden' })
  })

  it('lists filter problems in GitLab declaration order (type, paused, status, tag_list)', async () => {
    expectError(await harness().get('/runners/all', { token: TOKENS.admin, rawQuery: 'status=bogus&paused=bogus' }), 400, {
      error: 'paused is invalid, status does not have a valid value',
    })
  })

  it('collects the id, type and group-rule problems of an update into one error', async () => {
    const h = harness()
    expectError(await h.put('/runners/abc', { token: TOKENS.admin, body: { paused: 'x' } }), 400, { error: 'id is invalid, paused is invalid' })
    expectError(await h.put('/runners/6', { token: TOKENS.admin, body: { active: 'x', paused: true } }), 400, {
      error: 'active is invalid, active, paused are mutually exclusive',
    })
  })

  it('takes a blank runner_id as given but nil: the runner is not found', async () => {
    expectError(await harness().post('/projects/100/runners', { token: TOKENS.admin, body: { runner_id: '' } }), 404, { message: '404 Not found' })
  })
})
