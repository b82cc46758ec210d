/** @module Route tests of /groups/:id/runners…: the group's runner list and the group registration-token reset, with GitLab 15.x's owner-only rule, ids, filters, pagination and exact error bodies. */
import { describe, expect, it } from 'vitest'
import { REGISTRATION, TOKENS, expectError, harness, type Harness, type TestResponse } from '../../../test/harness.js'
import type { Fixture } from '../../seed/fixture-types.js'
import { DEFAULT_FIXTURE } from '../../world.js'

const NAMED: Fixture = { ...DEFAULT_FIXTURE, generate: undefined }
const named = (): Harness => harness({ fixture: NAMED })
const ids = (res: TestResponse): number[] => (res.body as Array<{ id: number }>).map((r) => r.id)

const FORBIDDEN = { message: '403 Forbidden' }
const GROUP_NOT_FOUND = { message: '404 Group Not Found' }

describe('GET /groups/:id/runners', () => {
  it.each([
    ['alice on acme: its runner and the instance runners', TOKENS.groupOwner, '10', [1, 2, 3, 4]],
    ['alice on acme by path', TOKENS.groupOwner, 'acme', [1, 2, 3, 4]],
    ['alice on acme/backend (URL-encoded): its own and its ancestor\'s runners', TOKENS.groupOwner, 'acme%2Fbackend', [1, 2, 3, 4, 5]],
    ['alice on acme/frontend: only the ancestor\'s', TOKENS.groupOwner, 'acme%2Ffrontend', [1, 2, 3, 4]],
    ['admin on opensource: shared runners disabled', TOKENS.admin, 'opensource', [13]],
    ['admin on acme', TOKENS.admin, '10', [1, 2, 3, 4]],
  ])('lists for %s', async (_, token, id, expected) => {
    const res = await named().get(`/groups/${id}/runners`, { token })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it('also answers on the documented /runners/all alias', async () => {
    const res = await named().get('/groups/acme%2Fbackend/runners/all', { token: TOKENS.groupOwner, query: { type: 'group_type' } })
    expect(ids(res)).toEqual([4, 5])
  })

  it.each([
    ['frank (maintainer: 15.x needs Owner)', TOKENS.groupMaintainer, 'acme', 403, FORBIDDEN],
    ['bob (member of projects inside acme)', TOKENS.maintainer, 'acme', 403, FORBIDDEN],
    ['carol on an internal subgroup', TOKENS.developer, 'acme%2Ffrontend', 403, FORBIDDEN],
    ['erin (guest of a public group)', TOKENS.outsider, 'opensource', 403, FORBIDDEN],
    ['erin on a private group', TOKENS.outsider, 'acme', 404, GROUP_NOT_FOUND],
    ['anyone on an unknown id', TOKENS.admin, '9999', 404, GROUP_NOT_FOUND],
    ['anyone on a huge id', TOKENS.admin, '99999999999999999999', 404, GROUP_NOT_FOUND],
    ['anyone on an unknown path', TOKENS.admin, 'acme%2Fghost', 404, GROUP_NOT_FOUND],
  ])('refuses %s', async (_, token, id, status, body) => {
    expectError(await named().get(`/groups/${id}/runners`, { token }), status, body)
  })

  it('answers 401 before anything else', async () => {
    expectError(await named().get('/groups/9999/runners', { query: { type: 'bogus' } }), 401, { message: '401 Unauthorized' })
  })

  it.each([
    ['type=group_type', [4, 5]],
    ['type=instance_type', [1, 2, 3]],
    ['type=project_type', []],
    ['status=paused', [5]],
    ['status=online', [1, 4, 5]],
    ['status=never_contacted', [3]],
    ['paused=true', [5]],
    ['paused=FALSE', [1, 2, 3, 4]],
    ['tag_list=linux', [1, 4, 5]],
    ['tag_list=linux,kubernetes', [4]],
    ['tag_list[]=linux&tag_list[]=docker', [1]],
    ['tag_list=kubernetes&tag_list=docker', [1]],
    // No scope on this endpoint: an undeclared parameter is ignored, whatever its value.
    ['scope=specific', [1, 2, 3, 4, 5]],
    ['scope=bogus', [1, 2, 3, 4, 5]],
  ])('filters with %s', async (qs, expected) => {
    const res = await named().get('/groups/acme%2Fbackend/runners', { token: TOKENS.groupOwner, rawQuery: qs })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual(expected)
  })

  it.each([
    ['type=bogus', { error: 'type does not have a valid value' }],
    ['status=bogus', { error: 'status does not have a valid value' }],
    ['paused=nah', { error: 'paused is invalid' }],
    ['per_page=0', { error: 'per_page has a value not allowed' }],
    ['page=first', { error: 'page is invalid' }],
  ])('refuses %s', async (qs, body) => {
    expectError(await named().get('/groups/acme/runners', { token: TOKENS.groupOwner, rawQuery: qs }), 400, body)
  })

  it('paginates with the id echoed into absolute Link URLs', async () => {
    const res = await named().get('/groups/acme%2Fbackend/runners', { token: TOKENS.groupOwner, query: { per_page: 2, page: 3 } })
    expect(ids(res)).toEqual([5])
    expect(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((k) => res.headers.get(k))).toEqual([
      '3', '2', '', '2', '5', '3',
    ])
    const url = (page: number) => `<http://gitlab.test/api/v4/groups/acme%2Fbackend/runners?id=acme%2Fbackend&page=${page}&per_page=2>`
    expect(res.headers.get('link')).toBe(`${url(2)}; rel="prev", ${url(1)}; rel="first", ${url(3)}; rel="last"`)
  })
})

describe('POST /groups/:id/runners/reset_registration_token', () => {
  it('answers 201 {token} to the owner; the new token registers a group runner and the old one is refused', async () => {
    const h = named()
    const res = await h.post('/groups/acme/runners/reset_registration_token', { token: TOKENS.groupOwner, body: {} })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token'])
    expect(res.body.token).not.toBe(REGISTRATION.acmeGroup)
    expectError(await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } }), 403, FORBIDDEN)
    const registered = await h.post('/runners', { body: { token: res.body.token } })
    expect(registered.status).toBe(201)
    const details = (await h.get(`/runners/${registered.body.id}`, { token: TOKENS.admin })).body
    expect(details.runner_type).toBe('group_type')
    expect(details.groups.map((g: { id: number }) => g.id)).toEqual([10])
  })

  it.each([
    ['admin', TOKENS.admin, '10', 201, undefined],
    ['alice on a subgroup (owner through acme)', TOKENS.groupOwner, 'acme%2Fbackend', 201, undefined],
    ['frank (maintainer)', TOKENS.groupMaintainer, 'acme', 403, FORBIDDEN],
    ['bob (member of projects inside)', TOKENS.maintainer, 'acme', 403, FORBIDDEN],
    ['erin on a public group', TOKENS.outsider, 'opensource', 403, FORBIDDEN],
    ['erin on a private group', TOKENS.outsider, 'acme', 404, GROUP_NOT_FOUND],
    ['anyone on an unknown group', TOKENS.admin, 'nope', 404, GROUP_NOT_FOUND],
  ])('%s → %i', async (_, token, group, status, body) => {
    const h = named()
    const res = await h.post(`/groups/${group}/runners/reset_registration_token`, { token })
    if (body) {
      expectError(res, status, body)
      expect((await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } })).status).toBe(201)
    } else {
      expect(res.status).toBe(status)
      expect(typeof res.body.token).toBe('string')
    }
  })

  it('refuses a read_api token with insufficient_scope and keeps the token', async () => {
    const h = named()
    expectError(await h.post('/groups/acme/runners/reset_registration_token', { token: TOKENS.adminReadOnly }), 403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api',
    })
    expect((await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } })).status).toBe(201)
  })
})
