/** @module The Link header of a paginated list never repeats a credential sent as a parameter. */
import { describe, expect, it } from 'vitest'
import { toQuery } from '../../src/http/pagination.js'
import { harness } from '../harness.js'
import { ADMIN, rulesFixture } from './world.js'

describe('Link URLs and credentials', () => {
  // gitlab-behaviour.md §6.1: Link rebuilds the query from the request's parameters; §6.4: user credentials can
  // travel as the private_token / access_token parameters, and job_token / token are the CI job's and the
  // runner's. A credential in a URL would leak into logs and clients' caches, so none is echoed.
  const fixture = rulesFixture({ runners: [1, 2, 3].map((id) => ({ id, runner_type: 'instance_type' as const })) })

  it.each(['job_token', 'token', 'private_token', 'access_token'])('leaves %s out of every Link URL and keeps the other parameters', async (name) => {
    const res = await harness({ fixture }).get('/runners/all', { token: ADMIN, rawQuery: `${name}=SecretValue123&per_page=1&page=2&type=instance_type` })
    expect(res.status).toBe(200)
    const link = res.headers.get('link') ?? ''
    expect(link.split(', ')).toHaveLength(4)
    expect(link).not.toContain('SecretValue123')
    expect(link).not.toContain(`${name}=`)
    expect(link).toContain('type=instance_type')
  })
})

describe('Link URLs escape values as Rails does', () => {
  // gitlab-behaviour.md §6.1: the query is rebuilt with Rails' `to_query` (CGI.escape): a space becomes `+`,
  // and `!'()*` are escaped too, unlike JavaScript's encodeURIComponent.
  it("escapes spaces as + and !'()* as %XX", async () => {
    const fixture = rulesFixture({ runners: [1, 2].map((id) => ({ id, runner_type: 'instance_type' as const })) })
    const res = await harness({ fixture }).get('/runners/all', { token: ADMIN, rawQuery: `note=${encodeURIComponent("it's (a) test!*")}&per_page=1` })
    expect(res.status).toBe(200)
    expect(res.headers.get('link')).toContain('note=it%27s+%28a%29+test%21%2A&page=2&per_page=1')
  })
})

describe("Rails' to_query", () => {
  // gitlab-behaviour.md §6.1: Link's query is Rails' `to_query`, which sorts keys, writes `key[]=` and
  // `key[sub]=`, and leaves out a key whose value is an empty hash or array.
  it('sorts keys, nests hashes and arrays, and drops empty ones', () => {
    expect(toQuery({ b: '1', a: { y: '2', x: '3' }, e: {}, f: [], c: ['4', '5'] })).toBe('a%5Bx%5D=3&a%5By%5D=2&b=1&c%5B%5D=4&c%5B%5D=5')
  })
})
