import { describe, expect, it } from 'vitest'
import { REGISTRATION, TOKENS, harness } from '../../test/harness.js'
import { startMockServer } from '../server.js'
import { parseRateLimit } from './rate-limit.js'

const admin = { token: TOKENS.admin }
const injected = { ...admin, injected: true }

describe('fault rules', () => {
  it('answers a canned response for matching requests only, and lists and removes rules', async () => {
    const h = harness()
    const added = await h.post('/-/mock/faults', { body: { method: 'GET', path: '/api/v4/runners/1', respond: { status: 500, body: { message: 'boom' }, headers: { 'X-Why': 'test' } } } })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ id: 1, method: 'GET', path: '/api/v4/runners/1', respond: { status: 500 }, times: null, remaining: null })
    const hit = await h.get('/api/v4/runners/1', injected)
    expect([hit.status, hit.body, hit.headers.get('x-why')]).toEqual([500, { message: 'boom' }, 'test'])
    expect((await h.get('/api/v4/runners/2', admin)).status).toBe(200)
    expect((await h.get('/-/worlds/other/api/v4/runners/1', admin)).status).toBe(200) // rules are per world
    expect((await h.get('/-/mock/faults')).body.faults[0]).toMatchObject({ id: 1, matched: 1, fired: 1 })
    expect((await h.del('/-/mock/faults/1')).status).toBe(204)
    expect((await h.del('/-/mock/faults/1')).status).toBe(404)
    expect((await h.get('/api/v4/runners/1', admin)).status).toBe(200)
    const journal = (await h.get('/-/mock/requests', { query: { status: '500' } })).body.requests
    expect(journal).toHaveLength(1)
    expect(journal[0]).toMatchObject({ fault: 1, endpoint: 'GET /api/v4/runners/:id' })
  })

  it('honours times, after and a seeded probability that repeats exactly', async () => {
    const h = harness()
    await h.post('/-/mock/faults', { body: { endpoint: 'GET /api/v4/runners/:id', respond: { status: 503, body: 'later' }, after: 1, times: 2 } })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await h.get(`/api/v4/runners/${i + 1}`, injected)).status)
    expect(statuses).toEqual([200, 503, 503, 200, 200])
    expect((await h.get('/-/mock/faults')).body.faults[0]).toMatchObject({ matched: 3, fired: 2, remaining: 0 })

    const run = async () => {
      const w = harness()
      await w.post('/-/mock/faults', { body: { path: '/api/v4/runners/*', respond: { status: 502, body: {} }, probability: 0.5 } })
      const out: number[] = []
      for (let i = 0; i < 24; i++) out.push((await w.get('/api/v4/runners/1', injected)).status)
      return out
    }
    const first = await run()
    expect(first).toEqual(await run())
    expect(first).toContain(502)
    expect(first).toContain(200)
  })

  it('delays the normal answer, and a reset removes every rule', async () => {
    const h = harness()
    await h.post('/-/mock/faults', { body: { path: '/api/v4/runners/1', delay_ms: 120 } })
    const started = performance.now()
    const res = await h.get('/api/v4/runners/1', admin)
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(100)
    await h.post('/-/mock/reset')
    expect((await h.get('/-/mock/faults')).body.faults).toEqual([])
  })

  it('matches the caller by token: header, query or the body of a runner call', async () => {
    const h = harness()
    await h.post('/-/mock/faults', { body: { token: TOKENS.maintainer, respond: { status: 418, body: { message: 'teapot' } } } })
    await h.post('/-/mock/faults', { body: { token: REGISTRATION.instance, respond: { status: 410, body: { message: 'gone' } } } })
    expect((await h.get('/api/v4/runners/1', admin)).status).toBe(200)
    expect((await h.get('/api/v4/projects/100', { token: TOKENS.maintainer, injected: true })).status).toBe(418)
    expect((await h.get('/api/v4/projects/100', { query: { private_token: TOKENS.maintainer }, injected: true })).status).toBe(418)
    expect((await h.post('/api/v4/runners', { body: { token: REGISTRATION.instance }, injected: true })).status).toBe(410)
    expect((await h.post('/api/v4/runners', { body: { token: REGISTRATION.acmeGroup } })).status).toBe(201)
  })

  it('refuses malformed rules with a clear 400', async () => {
    const h = harness()
    for (const body of [
      {},
      { respond: { status: 99 } },
      { delay_ms: -1 },
      { preset: 'nope' },
      { preset: 'unavailable', status: 500 },
      { path: '/a', endpoint: 'GET /a', delay_ms: 1 },
      { delay_ms: 1, preset: 'reset' },
      { delay_ms: 1, probability: 2 },
      { delay_ms: 1, times: 0 },
      { respond: { status: 200, headers: { 'Bad Header': 'x' } } },
    ]) {
      const res = await h.post('/-/mock/faults', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(typeof res.body.message).toBe('string')
    }
  })
})

describe('presets', () => {
  it('rate_limited answers as GitLab’s Rack::Attack responder, its headers agreeing with Retry-After', async () => {
    const h = harness()
    await h.post('/-/mock/faults', { body: { path: '/api/v4/runners', preset: 'rate_limited', retry_after: 7, times: 1 } })
    const before = Math.floor(Date.now() / 1000)
    const res = await h.get('/api/v4/runners', injected)
    expect(res.status).toBe(429)
    expect(res.text).toBe('Retry later\n')
    expect(res.headers.get('content-type')).toBe('text/plain')
    const header = (n: string) => res.headers.get(n)
    expect(header('retry-after')).toBe('7')
    expect(header('ratelimit-name')).toBe('throttle_authenticated_api')
    expect(header('ratelimit-limit')).toBe('120') // 7200 per hour, scaled to a minute
    expect(header('ratelimit-observed')).toBe('7201')
    expect(header('ratelimit-remaining')).toBe('0')
    const reset = Number(header('ratelimit-reset'))
    expect(reset - 7).toBeGreaterThanOrEqual(before)
    expect(reset - 7).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    expect(header('ratelimit-resettime')).toBe(new Date(reset * 1000).toUTCString())
    expect((await h.get('/api/v4/runners', admin)).status).toBe(200)
  })

  it('unavailable answers the front end’s 502 page (or 503)', async () => {
    const h = harness()
    await h.post('/-/mock/faults', { body: { preset: 'unavailable', times: 1 } })
    await h.post('/-/mock/faults', { body: { preset: 'unavailable', status: 503, times: 1 } })
    const bad = await h.get('/api/v4/runners', injected)
    expect([bad.status, bad.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8'])
    expect(bad.text).toContain('GitLab is not responding')
    expect((await h.get('/api/v4/runners', injected)).status).toBe(503)
  })

  it('reset destroys the connection and timeout holds it, then closes it; both are journaled with status 0', async () => {
    const server = await startMockServer({ logLevel: 'silent' })
    try {
      const control = (path: string, body: unknown) =>
        fetch(`${server.url}/-/mock${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      await control('/faults', { path: '/api/v4/version', preset: 'reset', times: 1 })
      await control('/faults', { path: '/api/v4/version', preset: 'timeout', hold_ms: 150, times: 1 })
      await expect(fetch(`${server.url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })).rejects.toThrow()
      const started = performance.now()
      await expect(fetch(`${server.url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })).rejects.toThrow()
      expect(performance.now() - started).toBeGreaterThanOrEqual(140)
      expect((await fetch(`${server.url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })).status).toBe(200)
      const journal = (await (await fetch(`${server.url}/-/mock/requests`)).json()) as { requests: Array<{ status: number; fault: number | null }> }
      expect(journal.requests.map((r) => [r.status, r.fault])).toEqual([[0, 1], [0, 2], [200, null]])
    } finally {
      await server.close()
    }
  })
})

describe('the throttle', () => {
  it('parses 600/60s, 10/1m and 7200/1h', () => {
    expect(parseRateLimit('600/60s')).toEqual({ limit: 600, periodSeconds: 60 })
    expect(parseRateLimit('10/1m')).toEqual({ limit: 10, periodSeconds: 60 })
    expect(parseRateLimit('7200/1h')).toEqual({ limit: 7200, periodSeconds: 3600 })
    expect(parseRateLimit('0/60s')).toBeUndefined()
    expect(parseRateLimit('lots')).toBeUndefined()
  })

  it('throttles each user past the limit as GitLab does, and is set per world', async () => {
    const h = harness({ rateLimit: { limit: 3, periodSeconds: 3600 } })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await h.get('/api/v4/runners/1', injected)).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await h.get('/api/v4/runners/1', injected)
    expect(limited.headers.get('ratelimit-observed')).toBe('5')
    expect(limited.headers.get('ratelimit-limit')).toBe('1') // 3 per hour, scaled to a minute and rounded up
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(limited.headers.get('ratelimit-reset')) - Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    expect((await h.get('/api/v4/runners/1', { token: TOKENS.maintainer })).status).toBe(200) // another user
    expect((await h.get('/-/mock/rate-limit')).body).toEqual({ enabled: true, limit: 3, period_seconds: 3600 })
    expect((await h.del('/-/mock/rate-limit')).status).toBe(204)
    expect((await h.get('/api/v4/runners/1', admin)).status).toBe(200)
    const w = harness()
    expect((await w.put('/-/worlds/t/-/mock/rate-limit', { body: { limit: 1, period_seconds: 60 } })).status).toBe(200)
    expect((await w.get('/-/worlds/t/api/v4/runners/1', admin)).status).toBe(200)
    expect((await w.get('/-/worlds/t/api/v4/runners/1', injected)).status).toBe(429)
    expect((await w.get('/api/v4/runners/1', admin)).status).toBe(200)
    expect((await w.put('/-/mock/rate-limit', { body: { limit: 0 } })).status).toBe(400)
  })
})
