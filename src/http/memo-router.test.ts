import { getHeapStatistics } from 'node:v8'
import { Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { V8_HEAP } from '../cli/compact-build.js'
import { MAX_REMEMBERED, MemoRouter } from './memo-router.js'

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/v4/runners/all'],
  ['GET', '/api/v4/runners/:id{(?!(?:all)(?:/|$))[^/]+}'],
  ['PUT', '/api/v4/runners/:id'],
  ['GET', '/api/v4/runners/:id/jobs'],
  ['ALL', '/-/mock/*'],
]
const PATHS = ['/api/v4/runners/all', '/api/v4/runners/6', '/api/v4/runners/6/jobs', '/api/v4/runners/x%20y', '/-/mock/reset', '/nowhere']

/** A router's matches as handler names and params, comparable across routers. */
function shape(router: { match(method: string, path: string): unknown }, method: string, path: string): unknown {
  const [matches, stash] = router.match(method, path) as [Array<[string, Record<string, unknown>]>, unknown[] | undefined]
  return matches.map(([handler, params]) => [handler, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stash ? stash[v as number] : v]))])
}

function routers() {
  const plain = new TrieRouter<string>()
  const memo = new MemoRouter<string>()
  for (const [method, path] of ROUTES) {
    plain.add(method, path, `${method} ${path}`)
    memo.add(method, path, `${method} ${path}`)
  }
  return { plain, memo }
}

describe('MemoRouter', () => {
  it('matches as the router it wraps, the first time and when it gives a kept match', () => {
    const { plain, memo } = routers()
    for (let round = 0; round < 2; round++)
      for (const method of ['GET', 'PUT', 'POST'])
        for (const path of PATHS) expect(shape(memo, method, path), `${method} ${path}, round ${round}`).toEqual(shape(plain, method, path))
  })

  it('gives the same result object for the same method and path, and another for another method', () => {
    const { memo } = routers()
    const first = memo.match('GET', '/api/v4/runners/6')
    expect(memo.match('GET', '/api/v4/runners/6')).toBe(first)
    expect(memo.match('PUT', '/api/v4/runners/6')).not.toBe(first)
    expect(memo.match('GET', '/api/v4/runners/7')).not.toBe(first)
  })

  it('keeps at most MAX_REMEMBERED matches', () => {
    const { memo } = routers()
    for (let id = 0; id < MAX_REMEMBERED * 2 + 5; id++) {
      memo.match('GET', `/api/v4/runners/${id}`)
      expect(memo.size).toBeLessThanOrEqual(MAX_REMEMBERED)
    }
    expect(shape(memo, 'GET', '/api/v4/runners/3')).toEqual([['GET /api/v4/runners/:id{(?!(?:all)(?:/|$))[^/]+}', { id: '3' }]])
  })

  it('keeps no more of a request URL than its path', () => {
    // Paths cut from URLs with 12 KB query strings: kept matches must not hold the URLs (12 MB for 1,024 of them).
    const memo = new MemoRouter<string>(new TrieRouter())
    memo.add('GET', '/api/v4/runners/:id', 'details')
    V8_HEAP.collect()
    const before = getHeapStatistics().used_heap_size
    for (let i = 0; i < MAX_REMEMBERED; i++) {
      const url = `/api/v4/runners/${i}?q=${'x'.repeat(12_000)}${i}`
      memo.match('GET', url.slice(0, url.indexOf('?')))
    }
    V8_HEAP.collect()
    expect(memo.size).toBe(MAX_REMEMBERED)
    expect(getHeapStatistics().used_heap_size - before).toBeLessThan(4 * 1024 * 1024)
    expect(shape(memo, 'GET', '/api/v4/runners/7')).toEqual([['details', { id: '7' }]])
  })

  it('forgets its matches when a route is added after them', () => {
    const memo = new MemoRouter<string>(new TrieRouter())
    memo.add('GET', '/a/:id', 'a')
    expect(shape(memo, 'GET', '/a/b')).toEqual([['a', { id: 'b' }]])
    memo.add('GET', '/a/b', 'static')
    expect(memo.size).toBe(0)
    expect(shape(memo, 'GET', '/a/b')).toEqual([['a', { id: 'b' }], ['static', {}]])
  })

  it('routes the app: a repeated request reuses the match and keeps its own answer and params', async () => {
    const app = createApp({ logLevel: 'silent' })
    expect((app as unknown as { router: { name: string } }).router.name).toMatch(/^MemoRouter/)
    const get = (id: string) => app.request(`/api/v4/runners/${id}`, { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } })
    const [a, b, c] = [await get('1'), await get('1'), await get('2')]
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200])
    expect(((await b.json()) as { id: number }).id).toBe(1)
    expect(((await c.json()) as { id: number }).id).toBe(2)
  })

  it('works as any Hono router', async () => {
    const app = new Hono({ router: new MemoRouter() })
    app.get('/hello/:name', (c) => c.text(`hello ${c.req.param('name')}`))
    expect(await (await app.request('/hello/a')).text()).toBe('hello a')
    expect(await (await app.request('/hello/b')).text()).toBe('hello b')
    expect(await (await app.request('/hello/a')).text()).toBe('hello a')
  })
})
