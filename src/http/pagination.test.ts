/** @module Pure table tests of offset pagination: page/per_page parsing as Grape and Kaminari read them, page slicing, and Rails' to_query for Link URLs. */
import { describe, expect, it, onTestFinished } from 'vitest'
import { ParamError } from '../domain/errors.js'
import { COUNT_LIMIT, DEFAULT_PER_PAGE, MAX_PER_PAGE, pageParams, paginate, toQuery } from './pagination.js'

describe('pageParams', () => {
  it.each([
    [{}, { page: 1, perPage: 20 }],
    [{ page: '3' }, { page: 3, perPage: 20 }],
    [{ page: 3, per_page: 5 }, { page: 3, perPage: 5 }],
    [{ per_page: '100' }, { page: 1, perPage: 100 }],
    [{ per_page: '101' }, { page: 1, perPage: 100 }],
    [{ per_page: '1000' }, { page: 1, perPage: 100 }],
    [{ per_page: '-5' }, { page: 1, perPage: 20 }],
    [{ page: '0' }, { page: 1, perPage: 20 }],
    [{ page: '-2' }, { page: 1, perPage: 20 }],
    [{ page: '', per_page: '' }, { page: 1, perPage: 20 }],
    [{ page: ' 2 ' }, { page: 2, perPage: 20 }],
  ])('reads %j as %j', (raw, expected) => {
    expect(pageParams(raw)).toEqual(expected)
  })

  it.each([
    [{ per_page: '0' }, 'per_page has a value not allowed'],
    [{ per_page: 0 }, 'per_page has a value not allowed'],
    [{ page: 'abc' }, 'page is invalid'],
    [{ per_page: '2.5' }, 'per_page is invalid'],
    [{ page: 'x', per_page: 'y' }, 'page is invalid, per_page is invalid'],
    [{ page: ['1'] }, 'page is invalid'],
  ])('refuses %j with Grape\'s message %j', (raw, message) => {
    expect(() => pageParams(raw)).toThrow(ParamError)
    expect(() => pageParams(raw)).toThrow(message)
  })

  it('uses GitLab\'s default and maximum', () => {
    expect([DEFAULT_PER_PAGE, MAX_PER_PAGE, COUNT_LIMIT]).toEqual([20, 100, 10_000])
  })
})

describe('paginate', () => {
  const items = Array.from({ length: 7 }, (_, i) => i + 1)

  it.each([
    [1, 3, { items: [1, 2, 3], totalPages: 3, nextPage: 2, prevPage: null }],
    [2, 3, { items: [4, 5, 6], totalPages: 3, nextPage: 3, prevPage: 1 }],
    [3, 3, { items: [7], totalPages: 3, nextPage: null, prevPage: 2 }],
    [1, 7, { items, totalPages: 1, nextPage: null, prevPage: null }],
    [1, 20, { items, totalPages: 1, nextPage: null, prevPage: null }],
    // Past the end Kaminari is "out of range": no next and no previous page.
    [4, 3, { items: [], totalPages: 3, nextPage: null, prevPage: null }],
    [99, 3, { items: [], totalPages: 3, nextPage: null, prevPage: null }],
  ])('page %i of 7 items, %i per page', (page, perPage, expected) => {
    expect(paginate(items, page, perPage)).toEqual({ page, perPage, total: 7, ...expected })
  })

  it('reports at least one page for an empty list, with no neighbours', () => {
    expect(paginate([], 1, 20)).toEqual({ items: [], page: 1, perPage: 20, total: 0, totalPages: 1, nextPage: null, prevPage: null })
    expect(paginate([], 2, 20)).toMatchObject({ items: [], totalPages: 1, nextPage: null, prevPage: null })
  })
})

describe('toQuery (Rails to_query)', () => {
  it.each([
    [{ per_page: 2, page: 1 }, 'page=1&per_page=2'],
    [{ id: 'acme/backend/api', page: 2 }, 'id=acme%2Fbackend%2Fapi&page=2'],
    [{ tag_list: ['a', 'b'], page: 1 }, 'page=1&tag_list%5B%5D=a&tag_list%5B%5D=b'],
    [{ custom: { x: '1' }, all: 'False' }, 'all=False&custom%5Bx%5D=1'],
    [{ status: 'online', a: undefined, b: null }, 'b=&status=online'],
    [{ q: 'a b&c*(x)' }, 'q=a+b%26c%2A%28x%29'],
    [{}, ''],
  ])('%j → %s', (params, query) => {
    expect(toQuery(params)).toBe(query)
  })
})

describe('Link headers by server', () => {
  it('use each server’s own external URL, also when two servers in one process answer the same request', async () => {
    const { createApp } = await import('../app.js')
    const headers = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }
    const plain = createApp({ clock: '2026-04-15T12:00:00Z' })
    const external = createApp({ clock: '2026-04-15T12:00:00Z', externalUrl: 'https://gitlab.example.com' })
    const url = 'http://localhost/api/v4/runners/all?per_page=2&tag_list=linux'
    const first = (await plain.request(url, { headers })).headers.get('link')
    const second = (await external.request(url, { headers })).headers.get('link')
    expect(first).toMatch(/^<http:\/\/localhost\/api\/v4\/runners\/all\?/)
    expect(second).toMatch(/^<https:\/\/gitlab\.example\.com\/api\/v4\/runners\/all\?/)
  })
})

describe('Link headers from a kept page form', () => {
  const headers = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }
  /** GitLab's Link, made from to_query for each page (what a page form must reproduce). */
  function expectedLink(base: string, query: Record<string, unknown>, page: number, perPage: number, total: number): string {
    const pages = Math.max(1, Math.ceil(total / perPage))
    const link = (n: number) => `<${base}?${toQuery({ ...query, page: n, per_page: perPage })}>`
    const parts: string[] = []
    if (page > 1 && page <= pages) parts.push(`${link(page - 1)}; rel="prev"`)
    if (page < pages) parts.push(`${link(page + 1)}; rel="next"`)
    parts.push(`${link(1)}; rel="first"`, `${link(pages)}; rel="last"`)
    return parts.join(', ')
  }

  it.each([
    ['per_page=2', {}, 1, 2],
    ['per_page=2&page=3', {}, 3, 2],
    ['page=2&per_page=3&tag_list[]=linux&tag_list[]=a b', { tag_list: ['linux', 'a b'] }, 2, 3],
    ['per_page=1&page=11&paused=false&zz=(x)*', { paused: 'false', zz: '(x)*' }, 11, 1],
    ['per_page=4&page=999', {}, 999, 4],
  ])('?%s: every rel, also after a write changes the count', async (qs, extra, page, perPage) => {
    const { createApp } = await import('../app.js')
    const { setAnswerKeeping } = await import('./kept-answers.js')
    const app = createApp({ clock: '2026-04-15T12:00:00Z' })
    // Answers made anew each time (no kept or mended answer): the kept page form meets each new count.
    setAnswerKeeping(false)
    onTestFinished(() => setAnswerKeeping(true))
    const url = `http://localhost/api/v4/runners/all?${qs}`
    const base = 'http://localhost/api/v4/runners/all'
    for (let round = 0; round < 3; round++) {
      const res = await app.request(url, { headers })
      const total = Number(res.headers.get('x-total'))
      expect(res.headers.get('link')).toBe(expectedLink(base, extra, page, perPage, total))
      expect(res.headers.get('x-total-pages')).toBe(String(Math.max(1, Math.ceil(total / perPage))))
      // A new runner: the same URL's next answer counts one more.
      const reg = await app.request('/api/v4/runners', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'InstanceRegToken0001', tag_list: ['linux', 'a b'] }) })
      expect(reg.status).toBe(201)
      const after = await app.request(url, { headers })
      expect(Number(after.headers.get('x-total'))).toBe(total + 1)
      expect(after.headers.get('link')).toBe(expectedLink(base, extra, page, perPage, total + 1))
    }
  })
})
