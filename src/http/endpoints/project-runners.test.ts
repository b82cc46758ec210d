/** @module Route tests of /projects/:id/runners…: listing, enabling and disabling runners and resetting the project's registration token, with GitLab's permissions, ids, filters, pagination and exact error bodies. */
import { describe, expect, it } from 'vitest'
import { REGISTRATION, TOKENS, expectError, harness, type Harness, type TestResponse } from '../../../test/harness.js'
import type { Fixture } from '../../seed/fixture-types.js'
import { DEFAULT_FIXTURE } from '../../world.js'

const NAMED: Fixture = { ...DEFAULT_FIXTURE, generate: undefined }
const named = (fixture: Fixture = NAMED): Harness => harness({ fixture })
const ids = (res: TestResponse): number[] => (res.body as Array<{ id: number }>).map((r) => r.id)
const linkedProjects = async (h: Harness, runnerId: number): Promise<number[]> =>
  ((await h.get(`/runners/${runnerId}`, { token: TOKENS.admin })).body.projects as Array<{ id: number }>).map((p) => p.id)

const FORBIDDEN = { message: '403 Forbidden' }
const NO_ACCESS = { message: '403 Forbidden - No access granted' }
const PROJECT_NOT_FOUND = { message: '404 Project Not Found' }
const RUNNER_NOT_FOUND = { message: '404 Runner Not Found' }
const ONLY_ONE = { message: '403 Forbidden - Only one project associated with the runner. Please remove the runner instead' }

describe('GET /projects/:id/runners', () => {
  it.each([
    ['bob on acme/backend/api: own, group (with ancestors) and instance runners', TOKENS.maintainer, '100', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['the same project by URL-encoded full path', TOKENS.maintainer, 'acme%2Fbackend%2Fapi', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['the full path in another case', TOKENS.maintainer, 'ACME%2Fbackend%2FAPI', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['bob on acme/backend/worker', TOKENS.maintainer, '101', [1, 2, 3, 4, 5, 7, 9]],
    ['frank (group maintainer) on api', TOKENS.groupMaintainer, '100', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['carol on acme/frontend/web: acme runners, not the backend subgroup\'s', TOKENS.developer, '102', [1, 2, 3, 4, 10]],
    ['alice on acme/legacy: group runners disabled', TOKENS.groupOwner, 'acme%2Flegacy', [1, 2, 3, 12]],
    ['bob on his user-namespace project', TOKENS.maintainer, 'bob%2Fsandbox', [1, 2, 3, 11]],
    ['admin on opensource/tool: shared and group runners disabled', TOKENS.admin, '103', []],
  ])('lists for %s', async (_, token, id, expected) => {
    const res = await named().get(`/projects/${id}/runners`, { token })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it('also answers on the documented /runners/all alias', async () => {
    const res = await named().get('/projects/100/runners/all', { token: TOKENS.maintainer, query: { status: 'online' } })
    expect(ids(res)).toEqual([1, 4, 5, 6, 7, 8])
  })

  it.each([
    ['carol (developer)', TOKENS.developer, '100', 403, FORBIDDEN],
    ['dave (reporter)', TOKENS.reporter, '100', 403, FORBIDDEN],
    ['bob (developer of a public project)', TOKENS.maintainer, '103', 403, FORBIDDEN],
    ['erin on an internal project', TOKENS.outsider, '102', 403, FORBIDDEN],
    ['erin on a public project', TOKENS.outsider, 'opensource%2Ftool', 403, FORBIDDEN],
    ['erin on a private project', TOKENS.outsider, '100', 404, PROJECT_NOT_FOUND],
    ['anyone on an unknown id', TOKENS.admin, '9999', 404, PROJECT_NOT_FOUND],
    ['anyone on a huge id', TOKENS.admin, '99999999999999999999', 404, PROJECT_NOT_FOUND],
    ['anyone on an unknown path', TOKENS.admin, 'acme%2Fnope', 404, PROJECT_NOT_FOUND],
    ['anyone on a malformed id', TOKENS.admin, 'some%20string', 404, PROJECT_NOT_FOUND],
  ])('refuses %s', async (_, token, id, status, body) => {
    expectError(await named().get(`/projects/${id}/runners`, { token }), status, body)
  })

  it('checks the project before the parameters, and after authentication', async () => {
    const h = named()
    expectError(await h.get('/projects/100/runners', { query: { type: 'bogus' } }), 401, { message: '401 Unauthorized' })
    expectError(await h.get('/projects/100/runners', { token: TOKENS.developer, query: { type: 'bogus' } }), 403, FORBIDDEN)
    expectError(await h.get('/projects/100/runners', { token: TOKENS.maintainer, query: { type: 'bogus' } }), 400, {
      error: 'type does not have a valid value',
    })
  })

  it.each([
    ['scope=specific', [4, 5, 6, 7, 8]],
    ['scope=shared', [1, 2, 3]],
    ['scope=project_type', [6, 7, 8]],
    ['scope=paused', [5]],
    ['type=group_type', [4, 5]],
    ['status=never_contacted', [3]],
    ['status=not_connected', [3]],
    ['status=offline', [2]],
    ['paused=True', [5]],
    ['paused=false&tag_list=docker', [1, 6, 7]],
    ['tag_list=linux,docker', [1, 6]],
    ['tag_list[]=linux&tag_list[]=docker', [1, 6]],
    ['tag_list=docker&tag_list=kubernetes', [4]],
    ['tag_list=gpu', [8]],
  ])('filters with %s', async (qs, expected) => {
    const res = await named().get('/projects/100/runners', { token: TOKENS.maintainer, rawQuery: qs })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it.each([
    ['scope=bogus', { error: 'scope does not have a valid value' }],
    ['status=bogus', { error: 'status does not have a valid value' }],
    ['paused=perhaps', { error: 'paused is invalid' }],
    ['per_page=0', { error: 'per_page has a value not allowed' }],
  ])('refuses %s', async (qs, body) => {
    expectError(await named().get('/projects/100/runners', { token: TOKENS.maintainer, rawQuery: qs }), 400, body)
  })

  it('paginates with the id echoed into absolute Link URLs on the raw path', async () => {
    const res = await named().get('/projects/acme%2Fbackend%2Fapi/runners', { token: TOKENS.maintainer, query: { per_page: 3, page: 2 } })
    expect(ids(res)).toEqual([4, 5, 6])
    expect(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((k) => res.headers.get(k))).toEqual([
      '2', '3', '3', '1', '8', '3',
    ])
    const url = (page: number) =>
      `<http://gitlab.test/api/v4/projects/acme%2Fbackend%2Fapi/runners?id=acme%2Fbackend%2Fapi&page=${page}&per_page=3>`
    expect(res.headers.get('link')).toBe(`${url(1)}; rel="prev", ${url(3)}; rel="next", ${url(1)}; rel="first", ${url(3)}; rel="last"`)
  })
})

describe('POST /projects/:id/runners (enable)', () => {
  it.each([
    ['bob enables his worker runner in api', TOKENS.maintainer, '100', { runner_id: 9 }],
    ['bob enables his sandbox runner by full path, runner_id as a string', TOKENS.maintainer, 'acme%2Fbackend%2Fapi', { runner_id: '11' }],
    ['admin enables a locked runner', TOKENS.admin, '101', { runner_id: 8 }],
    ['admin enables a runner it does not own', TOKENS.admin, '104', { runner_id: 10 }],
    ['alice enables a runner of another acme project', TOKENS.groupOwner, '105', { runner_id: 6 }],
  ])('%s: 201 with the Runner entity, and the project now uses it', async (_, token, project, body) => {
    const h = named()
    const res = await h.post(`/projects/${project}/runners`, { token, body })
    expect(res.status).toBe(201)
    const runnerId = Number(body.runner_id)
    expect(Object.keys(res.body)).toEqual(['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'status'])
    expect(res.body).toMatchObject({ id: runnerId, runner_type: 'project_type' })
    const projectId = (await h.get(`/projects/${project}/runners`, { token: TOKENS.admin, query: { type: 'project_type' } })).body
    expect(ids({ body: projectId } as TestResponse)).toContain(runnerId)
  })

  it('accepts runner_id as a form field and as multipart', async () => {
    const h = named()
    expect((await h.post('/projects/100/runners', { token: TOKENS.maintainer, form: { runner_id: '9' } })).status).toBe(201)
    const multipart = new FormData()
    multipart.append('runner_id', '11')
    const res = await h.app.request('http://gitlab.test/api/v4/projects/100/runners', {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': TOKENS.maintainer },
      body: multipart,
    })
    expect(res.status).toBe(201)
    expect(await linkedProjects(h, 11)).toEqual([100, 104])
  })

  it.each([
    ['a group runner, even for an admin', TOKENS.admin, 4, { message: '403 Forbidden - Runner is a group runner' }],
    ['a group runner to its group owner', TOKENS.groupOwner, 5, { message: '403 Forbidden - Runner is a group runner' }],
    ['a locked runner to a non-admin', TOKENS.maintainer, 8, { message: '403 Forbidden - Runner is locked' }],
    ['an instance runner to a non-admin', TOKENS.maintainer, 1, NO_ACCESS],
    ['a runner bob does not own', TOKENS.maintainer, 10, NO_ACCESS],
    ['a runner of a project bob does not belong to', TOKENS.maintainer, 12, NO_ACCESS],
  ])('refuses %s and links nothing', async (_, token, runnerId, body) => {
    const h = named()
    const before = await linkedProjects(h, runnerId)
    expectError(await h.post('/projects/101/runners', { token, body: { runner_id: runnerId } }), 403, body)
    expect(await linkedProjects(h, runnerId)).toEqual(before)
  })

  it('refuses an admin turning an instance runner into a project runner with the model\'s message', async () => {
    const h = named()
    expectError(await h.post('/projects/100/runners', { token: TOKENS.admin, body: { runner_id: 1 } }), 400, {
      message: { assign_to: ['Transitioning an instance runner to a project runner is not supported'] },
    })
    expect((await h.get('/runners/1', { token: TOKENS.admin })).body).toMatchObject({ runner_type: 'instance_type', projects: [] })
  })

  it('refuses a runner already linked to the project', async () => {
    const h = named()
    expectError(await h.post('/projects/100/runners', { token: TOKENS.maintainer, body: { runner_id: 7 } }), 400, {
      message: {
        'runner_projects.runner_id': ['has already been taken'],
        assign_to: ['Validation failed: Runner projects runner has already been taken'],
      },
    })
    expect(await linkedProjects(h, 7)).toEqual([100, 101])
  })

  it('refuses past the plan limit of project runners', async () => {
    const h = named({ ...NAMED, settings: { ...NAMED.settings, project_runner_limit: 3 } })
    const message = 'Maximum number of ci registered project runners (3) exceeded'
    expectError(await h.post('/projects/100/runners', { token: TOKENS.maintainer, body: { runner_id: 9 } }), 400, {
      message: { 'runner_projects.base': [message], assign_to: [`Validation failed: Runner projects base ${message}`] },
    })
    expect(await linkedProjects(h, 9)).toEqual([101])
  })

  it.each([
    ['no runner_id', {}, 400, { error: 'runner_id is missing' }],
    ['a null runner_id', { runner_id: null }, 400, { error: 'runner_id is missing' }],
    ['a non-numeric runner_id', { runner_id: 'six' }, 400, { error: 'runner_id is invalid' }],
    ['a fractional runner_id', { runner_id: 6.5 }, 400, { error: 'runner_id is invalid' }],
    ['an unknown runner', { runner_id: 9999 }, 404, { message: '404 Not found' }],
    ['a huge runner id', { runner_id: '99999999999999999999' }, 404, { message: '404 Not found' }],
  ])('answers %s', async (_, body, status, error) => {
    expectError(await named().post('/projects/100/runners', { token: TOKENS.maintainer, body }), status, error)
  })

  it('checks the project (403/404) before validating runner_id', async () => {
    const h = named()
    expectError(await h.post('/projects/100/runners', { token: TOKENS.developer, body: {} }), 403, FORBIDDEN)
    expectError(await h.post('/projects/100/runners', { token: TOKENS.reporter, body: { runner_id: 6 } }), 403, FORBIDDEN)
    expectError(await h.post('/projects/100/runners', { token: TOKENS.outsider, body: {} }), 404, PROJECT_NOT_FOUND)
    expectError(await h.post('/projects/9999/runners', { token: TOKENS.admin, body: { runner_id: 6 } }), 404, PROJECT_NOT_FOUND)
    expectError(await h.post('/projects/100/runners', { body: {} }), 401, { message: '401 Unauthorized' })
    expectError(await h.post('/projects/100/runners', { token: TOKENS.maintainerReadOnly, body: { runner_id: 9 } }), 403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api',
    })
    expect(await linkedProjects(h, 9)).toEqual([101])
  })
})

describe('DELETE /projects/:id/runners/:runner_id (disable)', () => {
  it('unlinks a multi-project runner: 204, empty, and the link is gone', async () => {
    const h = named()
    const res = await h.del('/projects/acme%2Fbackend%2Fworker/runners/7', { token: TOKENS.maintainer, body: {} })
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expect(await linkedProjects(h, 7)).toEqual([100])
    // Now api is its only project.
    expectError(await h.del('/projects/100/runners/7', { token: TOKENS.maintainer }), 403, ONLY_ONE)
    expect(await linkedProjects(h, 7)).toEqual([100])
  })

  it('lets an admin and a group maintainer disable too', async () => {
    const h = named()
    expect((await h.del('/projects/100/runners/7', { token: TOKENS.groupMaintainer })).status).toBe(204)
    expect((await h.post('/projects/100/runners', { token: TOKENS.admin, body: { runner_id: 7 } })).status).toBe(201)
    expect((await h.del('/projects/101/runners/7', { token: TOKENS.admin })).status).toBe(204)
    expect(await linkedProjects(h, 7)).toEqual([100])
  })

  it.each([
    ['the runner\'s only project', TOKENS.maintainer, '100', '6', 403, ONLY_ONE],
    ['a locked runner\'s only project', TOKENS.admin, '100', '8', 403, ONLY_ONE],
    ['a runner not linked to the project', TOKENS.maintainer, '100', '11', 404, RUNNER_NOT_FOUND],
    ['a group runner', TOKENS.admin, '100', '4', 404, RUNNER_NOT_FOUND],
    ['an instance runner', TOKENS.admin, '100', '1', 404, RUNNER_NOT_FOUND],
    ['an unknown runner', TOKENS.maintainer, '100', '9999', 404, RUNNER_NOT_FOUND],
    ['a non-numeric runner id', TOKENS.maintainer, '100', 'abc', 400, { error: 'runner_id is invalid' }],
    ['a developer', TOKENS.developer, '100', '7', 403, FORBIDDEN],
    ['a developer, before validating the runner id', TOKENS.developer, '100', 'abc', 403, FORBIDDEN],
    ['an outsider on a private project', TOKENS.outsider, '101', '7', 404, PROJECT_NOT_FOUND],
    ['an unknown project', TOKENS.admin, 'acme%2Fghost', '7', 404, PROJECT_NOT_FOUND],
  ])('refuses %s and keeps every link', async (_, token, project, runner, status, body) => {
    const h = named()
    expectError(await h.del(`/projects/${project}/runners/${runner}`, { token }), status, body)
    expect(await linkedProjects(h, 7)).toEqual([100, 101])
    expect(await linkedProjects(h, 6)).toEqual([100])
  })

  it('answers 412 when If-Unmodified-Since is older than the runner, keeping the link', async () => {
    const h = named()
    expectError(
      await h.del('/projects/101/runners/7', { token: TOKENS.maintainer, headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } }),
      412,
      { message: '412 Precondition Failed' },
    )
    expect(await linkedProjects(h, 7)).toEqual([100, 101])
    // The only-project refusal comes first.
    expectError(
      await h.del('/projects/100/runners/6', { token: TOKENS.maintainer, headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } }),
      403,
      ONLY_ONE,
    )
  })
})

describe('POST /projects/:id/runners/reset_registration_token', () => {
  it('answers 201 {token} to a maintainer; the new token registers a runner for the project and the old one is refused', async () => {
    const h = named()
    const res = await h.post('/projects/acme%2Fbackend%2Fapi/runners/reset_registration_token', { token: TOKENS.maintainer })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token'])
    expect(res.body.token).not.toBe(REGISTRATION.apiProject)
    expectError(await h.post('/runners', { body: { token: REGISTRATION.apiProject } }), 403, FORBIDDEN)
    const registered = await h.post('/runners', { body: { token: res.body.token } })
    expect(registered.status).toBe(201)
    const details = (await h.get(`/runners/${registered.body.id}`, { token: TOKENS.admin })).body
    expect(details.runner_type).toBe('project_type')
    expect(details.projects.map((p: { id: number }) => p.id)).toEqual([100])
  })

  it.each([
    ['admin', TOKENS.admin, '100', 201, undefined],
    ['group owner alice', TOKENS.groupOwner, '100', 201, undefined],
    ['group maintainer frank', TOKENS.groupMaintainer, '100', 201, undefined],
    ['developer carol', TOKENS.developer, '100', 403, FORBIDDEN],
    ['reporter dave', TOKENS.reporter, '100', 403, FORBIDDEN],
    ['outsider erin on a private project', TOKENS.outsider, '100', 404, PROJECT_NOT_FOUND],
    ['outsider erin on a public project', TOKENS.outsider, '103', 403, FORBIDDEN],
    ['anyone on a malformed id', TOKENS.admin, 'some%20string', 404, PROJECT_NOT_FOUND],
    ['anyone on an unknown project', TOKENS.admin, '9999', 404, PROJECT_NOT_FOUND],
  ])('%s → %i', async (_, token, project, status, body) => {
    const h = named()
    const res = await h.post(`/projects/${project}/runners/reset_registration_token`, { token })
    if (body) {
      expectError(res, status, body)
      expect((await h.post('/runners', { body: { token: REGISTRATION.apiProject } })).status).toBe(201)
    } else {
      expect(res.status).toBe(status)
      expect(typeof res.body.token).toBe('string')
    }
  })
})
