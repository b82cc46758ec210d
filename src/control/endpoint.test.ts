import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { TOKENS, harness } from '../../test/harness.js'
import { MemoRouter } from '../http/memo-router.js'
import { matchedRouteList } from './endpoint.js'

const admin = { token: TOKENS.admin }

describe('the endpoint a request matched', () => {
  it('is named per world version when worlds of two versions ask the same path in turn (DELETE /runners/managers is 16.0+)', async () => {
    const h = harness()
    expect((await h.post('/-/mock/worlds', { body: { name: 'old', gitlab_version: '15.11' } })).status).toBe(201)
    expect((await h.post('/-/mock/worlds', { body: { name: 'new', gitlab_version: '16.0' } })).status).toBe(201)
    for (let i = 0; i < 2; i++)
      for (const world of ['old', 'new', 'new', 'old']) await h.request('DELETE', `/-/worlds/${world}/api/v4/runners/managers`, { ...admin, body: { token: 'nope', system_id: 's' } })
    const endpoints = async (world: string) => (await h.get(`/-/worlds/${world}/-/mock/requests`)).body.requests.map((r: { endpoint: string | null }) => r.endpoint)
    expect(await endpoints('old')).toEqual(Array(4).fill('DELETE /api/v4/runners/:id'))
    expect(await endpoints('new')).toEqual(Array(4).fill('DELETE /api/v4/runners/managers'))
  })

  it('is found from the route list Hono keeps, the same list for the same method and path (so it is named once)', async () => {
    const lists: (object | undefined)[] = []
    const app = new Hono({ router: new MemoRouter() })
    app.get('/a/:id', (c) => {
      lists.push(matchedRouteList(c))
      return c.text('ok')
    })
    for (const path of ['/a/1', '/a/1', '/a/2']) expect((await app.request(path)).status).toBe(200)
    const [first, again, other] = lists
    expect(first).toBeInstanceOf(Array)
    expect(again).toBe(first)
    expect(other).not.toBe(first)
  })
})
