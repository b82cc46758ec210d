import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { startMockServer } from '../server.js'
import { idOf, isNewestId, newestHigh, newestLow, requestId } from './request-id.js'

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/

describe('request ids', () => {
  it('are 26-character ULIDs whose first ten characters encode the time, counting up within a millisecond', () => {
    const a = requestId(1_700_000_000_000)
    const b = requestId(1_700_000_000_000)
    expect(a).toMatch(ULID)
    expect(a.slice(0, 10)).toBe('01HF7YAT00')
    expect(b.slice(0, 10)).toBe(a.slice(0, 10))
    expect(b > a).toBe(true)
    expect(requestId(1_700_000_000_001).slice(0, 10)).toBe('01HF7YAT01')
  })

  it('count up by one in base 32 within a millisecond, carries included, and start afresh in the next one', () => {
    const value = (id: string) => [...id.slice(10)].reduce((n, ch) => n * 32n + BigInt('0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(ch)), 0n)
    let previous = requestId(1_800_000_000_000)
    for (let i = 0; i < 3000; i++) {
      const next = requestId(1_800_000_000_000)
      expect(next).toMatch(ULID)
      expect(next.slice(0, 10)).toBe(previous.slice(0, 10))
      expect(value(next)).toBe((value(previous) + 1n) % 32n ** 16n)
      previous = next
    }
    const later = requestId(1_800_000_000_001)
    expect(later.slice(0, 10)).not.toBe(previous.slice(0, 10))
    expect(later > previous).toBe(true)
  })

  it('give the newest back from its time and random part as two numbers, carries and fresh milliseconds included', () => {
    for (let ms = 1_900_000_000_000; ms < 1_900_000_000_004; ms++)
      for (let i = 0; i < 2000; i++) {
        const id = requestId(ms)
        expect(isNewestId(id, ms)).toBe(true)
        expect(isNewestId(id, ms + 1)).toBe(false)
        expect(idOf(ms, newestHigh(), newestLow())).toBe(id)
        expect(newestHigh()).toBeLessThan(2 ** 40)
      }
    const older = requestId(1_900_000_000_010)
    requestId(1_900_000_000_010)
    expect(isNewestId(older, 1_900_000_000_010)).toBe(false)
    // A clock gone back: the id keeps the later millisecond, and is the newest only for it.
    const back = requestId(1_900_000_000_005)
    expect(isNewestId(back, 1_900_000_000_005)).toBe(false)
    expect(isNewestId(back, 1_900_000_000_010)).toBe(true)
    expect(idOf(0, 0, 0)).toBe('0'.repeat(26))
    expect(idOf(2 ** 48 - 1, 2 ** 40 - 1, 2 ** 40 - 1)).toBe('7' + 'Z'.repeat(25))
  })

  it('come back in X-Request-Id on every answer: success, GitLab errors, unknown routes and the control API', async () => {
    const app = createApp()
    const answers = await Promise.all([
      app.request('/api/v4/runners/1', { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } }),
      app.request('/api/v4/runners/1'),
      app.request('/api/v4/nothing-here'),
      app.request('/-/mock/clock'),
    ])
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 200])
    const ids = answers.map((r) => r.headers.get('x-request-id'))
    for (const id of ids) expect(id).toMatch(ULID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('come back exactly once over a socket, the id the journal records: kept and fresh reads, writes, errors, unknown routes, health and the control API', async () => {
    const server = await startMockServer({ port: 0 })
    try {
      const admin = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001', 'Content-Type': 'application/json' }
      const calls: Array<[string, string, Record<string, string>, string?]> = [
        ['GET', '/api/v4/runners/1', admin],
        ['GET', '/api/v4/runners/1', admin], // a kept answer
        ['GET', '/api/v4/runners/1', {}],
        ['GET', '/api/v4/runners/all?per_page=x', admin],
        ['PUT', '/api/v4/runners/1', admin, '{"description":"one"}'],
        ['POST', '/api/v4/runners', admin, '{"token":"InstanceRegToken0001"}'],
        ['GET', '/api/v4/nothing-here', admin],
        ['GET', '/-/health', {}],
        ['GET', '/-/mock/clock', {}],
      ]
      const seen: Array<[number, string | null]> = []
      for (const [method, path, headers, body] of calls) {
        const res = await fetch(new URL(path, server.url), { method, headers, body })
        await res.text()
        seen.push([res.status, res.headers.get('x-request-id')]) // a repeated header would come back joined with ", "
      }
      expect(seen.map(([status]) => status)).toEqual([200, 200, 401, 400, 200, 201, 404, 200, 200])
      const ids = seen.map(([, id]) => id)
      for (const id of ids) expect(id).toMatch(ULID)
      expect(new Set(ids).size).toBe(ids.length)
      const journal = server.worlds.default.journal
      const recorded = journal.records().map((r) => r.requestId)
      for (const id of ids.slice(0, 7)) expect(recorded).toContain(id)
    } finally {
      await server.close()
    }
  })

  it('come back in X-Request-Id in-process on answers made outside the route: fault answers and a throttled request', async () => {
    const app = createApp({ rateLimit: { limit: 1, periodSeconds: 60 } })
    const admin = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }
    const control = (body: unknown) => app.request('/-/mock/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect((await control({ method: 'GET', path: '/api/v4/runners/2', respond: { status: 500, body: { message: 'boom' } } })).status).toBe(201)
    expect((await control({ method: 'GET', path: '/api/v4/runners/3', preset: 'unavailable', status: 503 })).status).toBe(201)
    const answers = [
      await app.request('/api/v4/runners/2', { headers: admin }),
      await app.request('/api/v4/runners/3', { headers: admin }),
      await app.request('/api/v4/runners/1', { headers: admin }), // the throttle's one request a minute
      await app.request('/api/v4/runners/1', { headers: admin }),
    ]
    expect(answers.map((r) => r.status)).toEqual([500, 503, 200, 429])
    const ids = answers.map((r) => r.headers.get('x-request-id'))
    for (const id of ids) expect(id).toMatch(ULID)
    expect(new Set(ids).size).toBe(ids.length)
    expect(app.worlds.default.journal.records().map((r) => r.requestId)).toEqual(ids)
  })

  // Three ways through the world middleware: each route picking its world (no logging), the middleware chain in front
  // of every route (logging on), and worlds with nothing to journal or fault (journal off: the named world is passive).
  const setups: Array<[string, Parameters<typeof startMockServer>[0]]> = [
    ['routes picking their world', {}],
    ['the logged middleware chain', { logLevel: 'info', log: () => {} }],
    ['the journal off (a passive named world)', { journalSize: 0 }],
  ]
  it.each(setups)('come back over a socket on answers made outside the route, through %s: a write refused while its body is read, fault answers, a delayed answer, a named world, a bad world name', async (_name, options) => {
    const server = await startMockServer({ port: 0, ...options })
    try {
      const admin = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001', 'Content-Type': 'application/json' }
      const control = (path: string, body: unknown) => fetch(new URL(path, server.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      expect((await control('/-/mock/faults', { method: 'GET', path: '/api/v4/runners/2', respond: { status: 500, body: { message: 'boom' } } })).status).toBe(201)
      expect((await control('/-/mock/faults', { method: 'GET', path: '/api/v4/runners/3', delay_ms: 1 })).status).toBe(201)
      expect((await control('/-/mock/faults', { method: 'POST', path: '/api/v4/runners', preset: 'rate_limited', retry_after: 3, times: 1 })).status).toBe(201)
      expect((await control('/-/mock/worlds', { name: 'other' })).status).toBe(201)
      const calls: Array<[string, string, string?]> = [
        ['PUT', '/api/v4/runners/1', '{"description":'], // refused in the continuation that reads the body
        ['GET', '/api/v4/runners/2'], // a fault's answer
        ['GET', '/api/v4/runners/3'], // delayed, then the route's answer
        ['POST', '/api/v4/runners', '{"token":"InstanceRegToken0001"}'], // a preset's answer
        ['PUT', '/-/worlds/other/api/v4/runners/1', '{"description":'], // the same in a named world (no faults there)
        ['GET', '/-/worlds/other/api/v4/runners/1'],
        ['GET', '/-/worlds/Not%20A%20Name/api/v4/runners/1'],
      ]
      const seen: Array<[number, string | null]> = []
      for (const [method, path, body] of calls) {
        const res = await fetch(new URL(path, server.url), { method, headers: admin, body })
        await res.text()
        seen.push([res.status, res.headers.get('x-request-id')]) // a repeated header would come back joined with ", "
      }
      expect(seen.map(([status]) => status)).toEqual([400, 500, 200, 429, 400, 200, 400])
      const ids = seen.map(([, id]) => id)
      for (const id of ids) expect(id).toMatch(ULID)
      expect(new Set(ids).size).toBe(ids.length)
      const recorded = server.worlds.default.journal.records()
      const other = server.worlds.get('other')?.journal.records() ?? []
      if (options?.journalSize === 0) {
        expect([recorded, other]).toEqual([[], []])
        return
      }
      expect(recorded.map((r) => [r.requestId, r.status, r.fault])).toEqual([
        [ids[0], 400, null],
        [ids[1], 500, 1],
        [ids[2], 200, 2],
        [ids[3], 429, 3],
      ])
      expect(other.map((r) => [r.requestId, r.status])).toEqual([[ids[4], 400], [ids[5], 200]])
    } finally {
      await server.close()
    }
  })
})
