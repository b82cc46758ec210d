import { describe, expect, it } from 'vitest'
import { TOKENS, expectError, harness } from '../../../test/harness.js'

const USERS: Array<[keyof typeof TOKENS, number, string, boolean]> = [
  ['admin', 1, 'root', true],
  ['adminReadOnly', 1, 'root', true],
  ['groupOwner', 2, 'alice', false],
  ['maintainer', 3, 'bob', false],
  ['maintainerReadOnly', 3, 'bob', false],
  ['developer', 4, 'carol', false],
  ['reporter', 5, 'dave', false],
  ['outsider', 6, 'erin', false],
  ['groupMaintainer', 7, 'frank', false],
]

describe('GET /api/v4/user', () => {
  it.each(USERS)('answers for the %s token with its user (id %i, %s)', async (role, id, username, admin) => {
    const res = await harness().get('/user', { token: TOKENS[role] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id, username, state: 'active', web_url: `http://gitlab.test/${username}` })
    expect(res.body.email).toEqual(expect.any(String))
    if (admin) expect(res.body.is_admin).toBe(true)
    else expect(res.body).not.toHaveProperty('is_admin')
  })

  it('puts web_url on the configured external URL', async () => {
    const res = await harness({ externalUrl: 'https://gitlab.example.com/' }).get('/user', { token: TOKENS.maintainer })
    expect(res.body.web_url).toBe('https://gitlab.example.com/bob')
  })

  it('answers 401 without a token and for an unknown token', async () => {
    const h = harness()
    expectError(await h.get('/user'), 401, { message: '401 Unauthorized' })
    expectError(await h.get('/user', { token: 'glpat-nobody' }), 401, { message: '401 Unauthorized' })
    expectError(await h.get('/user', { headers: { Authorization: 'Bearer glpat-nobody' } }), 401, { message: '401 Unauthorized' })
  })

  it("answers GitLab's invalid_token 401 for an expired and for a revoked token", async () => {
    const h = harness()
    const expired = await h.get('/user', { token: TOKENS.expired })
    expectError(expired, 401, {
      error: 'invalid_token',
      error_description: 'Token is expired. You can either do re-authorization or token refresh.',
    })
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm="Protected by OAuth 2.0", error="invalid_token"/)
    expectError(await h.get('/user', { token: TOKENS.revoked }), 401, {
      error: 'invalid_token',
      error_description: 'Token was revoked. You have to re-authorize from the user.',
    })
  })

  it('reads the token from PRIVATE-TOKEN, the private_token parameter and Authorization: Bearer', async () => {
    const h = harness()
    expect((await h.get('/user', { headers: { 'PRIVATE-TOKEN': TOKENS.developer } })).body.username).toBe('carol')
    expect((await h.get('/user', { query: { private_token: TOKENS.developer } })).body.username).toBe('carol')
    expect((await h.get('/user', { headers: { Authorization: `Bearer ${TOKENS.developer}` } })).body.username).toBe('carol')
  })

  it('answers as the sudo target for an admin token with the sudo scope', async () => {
    const h = harness()
    const res = await h.get('/user', { token: TOKENS.admin, headers: { Sudo: 'alice' } })
    expect(res.body).toMatchObject({ id: 2, username: 'alice' })
    expect(res.body).not.toHaveProperty('is_admin')
    expect((await h.get('/user', { token: TOKENS.admin, query: { sudo: 3 } })).body.username).toBe('bob')
  })

  it('works with a doubled leading slash (//api/v4/user)', async () => {
    const res = await harness().get('//api/v4/user', { token: TOKENS.reporter })
    expect(res.status).toBe(200)
    expect(res.body.username).toBe('dave')
  })
})

describe('GET /api/v4/version', () => {
  it('answers a GitLab 15.11 version to any signed-in user', async () => {
    const res = await harness().get('/version', { token: TOKENS.outsider })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      version: expect.stringMatching(/^15\.11\.\d+$/),
      revision: expect.any(String),
      kas: { enabled: false, externalUrl: null, version: null },
      enterprise: false,
    })
  })

  it('answers 401 without a token', async () => {
    expectError(await harness().get('/version'), 401, { message: '401 Unauthorized' })
  })
})

describe('unknown /api/v4 paths', () => {
  it.each([
    ['GET', '/api/v4/nothing/here'],
    ['POST', '/api/v4/issues'],
    ['DELETE', '/api/v4/'],
    ['GET', '/api/v4'],
  ])('%s %s answers JSON 404 {"error":"404 Not Found"}, never plain text', async (method, path) => {
    const res = await harness().request(method, path, { token: TOKENS.admin })
    expectError(res, 404, { error: '404 Not Found' })
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it('answers the JSON 404 without a token too', async () => {
    expectError(await harness().get('/api/v4/does-not-exist'), 404, { error: '404 Not Found' })
  })
})
