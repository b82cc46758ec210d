import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { DEFAULT_FIXTURE, MockWorld } from '../world.js'
import { ONLINE_CONTACT_TIMEOUT_MS } from '../domain/status.js'
import { keptAnswersMended, keptAnswersServed, setAnswerKeeping } from './kept-answers.js'

const NOW = '2026-04-15T12:00:00.000Z'
const ADMIN = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }

async function get(app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = ADMIN) {
  const res = await app.request(path, { headers })
  const answered = [...res.headers].filter(([k]) => k !== 'x-request-id').map(([k, v]) => `${k}: ${v}`).join('\n')
  return { status: res.status, id: res.headers.get('x-request-id'), link: res.headers.get('link'), total: res.headers.get('x-total'), headers: answered, text: await res.text() }
}

const SHORT_LIVED = 'glpat-ShortLivedToken0001'

/** The default world with an admin token that expires at 13:00 (an hour after NOW). */
function withShortLivedToken(): ReturnType<typeof createApp> {
  const fixture = structuredClone(DEFAULT_FIXTURE) as typeof DEFAULT_FIXTURE & { users: Array<{ username: string; tokens?: Array<Record<string, unknown>> }> }
  const admin = fixture.users.find((u) => u.username === 'root') ?? fixture.users[0]!
  admin.tokens = [...(admin.tokens ?? []), { token: SHORT_LIVED, name: 'short', scopes: ['api'], expires_at: '2026-04-15T13:00:00Z' }]
  return createApp({ clock: NOW, fixture })
}

describe('answers kept between requests', () => {
  it('answer a repeated read with the same bytes and headers, and its own request id', async () => {
    const app = createApp({ clock: NOW })
    for (const path of ['/api/v4/runners/6', '/api/v4/runners/all?per_page=5', '/api/v4/runners?type=project_type']) {
      const a = await get(app, path)
      const b = await get(app, path)
      expect(b.status).toBe(200)
      expect(b.text).toBe(a.text)
      expect(b.link).toBe(a.link)
      expect(b.id).not.toBe(a.id)
    }
  })

  it('show a write at once, in the runner and in every list', async () => {
    const app = createApp({ clock: NOW })
    await get(app, '/api/v4/runners/6')
    await get(app, '/api/v4/runners/all?per_page=100')
    const put = await app.request('/api/v4/runners/6', { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: '{"description":"renamed"}' })
    expect(put.status).toBe(200)
    expect(JSON.parse((await get(app, '/api/v4/runners/6')).text).description).toBe('renamed')
    expect(JSON.parse((await get(app, '/api/v4/runners/all?per_page=100')).text).find((r: { id: number }) => r.id === 6).description).toBe('renamed')
  })

  it('turn a runner offline the moment its last contact is two hours old', async () => {
    const app = createApp({ clock: NOW })
    const online = JSON.parse((await get(app, '/api/v4/runners/all?status=online&per_page=100')).text) as Array<{ id: number }>
    const runner = app.world.store.runner(online[0]!.id)!
    const details = `/api/v4/runners/${runner.id}`
    const all = '/api/v4/runners/all?per_page=100'
    const statusInList = async () => (JSON.parse((await get(app, all)).text) as Array<{ id: number; status: string }>).find((r) => r.id === runner.id)?.status
    expect(await statusInList()).toBe('online')
    expect(JSON.parse((await get(app, details)).text).status).toBe('online')
    app.world.clock.set(runner.contactedAt! + ONLINE_CONTACT_TIMEOUT_MS - 1)
    expect(JSON.parse((await get(app, details)).text).status).toBe('online')
    app.world.clock.set(runner.contactedAt! + ONLINE_CONTACT_TIMEOUT_MS)
    expect(JSON.parse((await get(app, details)).text).status).toBe('offline')
    expect(await statusInList()).toBe('offline')
    const still = JSON.parse((await get(app, '/api/v4/runners/all?status=online&per_page=100')).text) as Array<{ id: number }>
    expect(still.map((r) => r.id)).not.toContain(runner.id)
  })

  it('stop at the caller token’s expiry, and never answer one caller with another’s', async () => {
    const app = withShortLivedToken()
    const short = { 'PRIVATE-TOKEN': SHORT_LIVED }
    expect((await get(app, '/api/v4/runners/6', short)).status).toBe(200)
    app.world.clock.set(Date.parse('2026-04-15T13:00:00Z'))
    expect((await get(app, '/api/v4/runners/6', short)).status).toBe(401)
    expect((await get(app, '/api/v4/runners/6')).status).toBe(200)
    expect((await get(app, '/api/v4/runners/6', { 'PRIVATE-TOKEN': 'glpat-PlainUserToken000001' })).status).toBe(403)
    expect((await get(app, '/api/v4/runners/6', {})).status).toBe(401)
  })
})

/** A GET, whether it was a kept answer, and what a fresh read (keeping off) answers. */
async function read(app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = ADMIN) {
  const before = keptAnswersServed()
  const res = await get(app, path, headers)
  const kept = keptAnswersServed() > before
  setAnswerKeeping(false)
  try {
    return { ...res, kept, fresh: await get(app, path, headers) }
  } finally {
    setAnswerKeeping(true)
  }
}

describe('answers that show one runner', () => {
  const json = { ...ADMIN, 'Content-Type': 'application/json' }
  const put = (app: ReturnType<typeof createApp>, path: string, body: Record<string, unknown>, headers: Record<string, string> = json) =>
    app.request(path, { method: 'PUT', headers, body: JSON.stringify(body) })
  const register = (app: ReturnType<typeof createApp>) =>
    app.request('/api/v4/runners', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":"InstanceRegToken0001"}' })

  it('outlast writes to other runners (a registration, another runner’s update), not one to theirs', async () => {
    const app = createApp({ clock: NOW })
    await get(app, '/api/v4/runners/6')
    await get(app, '/api/v4/runners/7')
    expect((await register(app)).status).toBe(201)
    expect((await put(app, '/api/v4/runners/7?description=x', {})).status).toBe(200)
    const six = await read(app, '/api/v4/runners/6')
    expect(six.kept).toBe(true)
    expect(six.text).toBe(six.fresh.text)
    const seven = await read(app, '/api/v4/runners/7')
    expect(seven.kept).toBe(false)
    expect(JSON.parse(seven.text).description).toBe('x')
  })

  it('are not outlasted by a write that is not a runner’s (a registration token reset)', async () => {
    const app = createApp({ clock: NOW })
    await get(app, '/api/v4/runners/6')
    expect((await app.request('/api/v4/runners/reset_registration_token', { method: 'POST', headers: ADMIN })).status).toBe(201)
    expect((await read(app, '/api/v4/runners/6')).kept).toBe(false)
  })

  it('are kept from an update’s answer for the same caller’s next read of the runner', async () => {
    const app = createApp({ clock: NOW })
    const res = await put(app, '/api/v4/runners/6', { description: 'renamed' })
    const answer = await res.text()
    expect(res.status).toBe(200)
    expect((await register(app)).status).toBe(201) // another runner written since
    // Other callers (a plain user may not read runner 6; nobody anonymous) are never given it.
    expect((await read(app, '/api/v4/runners/6', { 'PRIVATE-TOKEN': 'glpat-PlainUserToken000001' })).status).toBe(403)
    expect((await read(app, '/api/v4/runners/6', {})).status).toBe(401)
    const next = await read(app, '/api/v4/runners/6')
    expect(next.kept).toBe(true)
    expect(next.text).toBe(answer)
    expect(next.text).toBe(next.fresh.text)
  })

  it('kept from an update stop at the updating caller’s token expiry', async () => {
    const app = withShortLivedToken()
    const short = { 'PRIVATE-TOKEN': SHORT_LIVED }
    expect((await put(app, '/api/v4/runners/6', { description: 'short' }, { ...short, 'Content-Type': 'application/json' })).status).toBe(200)
    app.world.clock.set(Date.parse('2026-04-15T13:00:00Z'))
    const after = await read(app, '/api/v4/runners/6', short)
    expect(after.kept).toBe(false)
    expect(after.status).toBe(401)
  })

  it('are not kept from an update that named its caller by parameter or carried a query', async () => {
    const app = createApp({ clock: NOW })
    const byParam = await put(app, '/api/v4/runners/6', { description: 'by param', private_token: 'glpat-AdminToken0000000001' }, { 'Content-Type': 'application/json' })
    expect(byParam.status).toBe(200)
    const anonymous = await read(app, '/api/v4/runners/6', {})
    expect(anonymous.kept).toBe(false)
    expect(anonymous.status).toBe(401)
    expect((await read(app, '/api/v4/runners/6')).kept).toBe(false)
    // A read of that URL may answer otherwise: here it leaves the projects out (18.6+).
    const lean = '/api/v4/runners/6?include_projects=false'
    expect((await put(app, lean, { description: 'by query' })).status).toBe(200)
    const read18 = await read(app, lean)
    expect(read18.kept).toBe(false)
    expect(JSON.parse(read18.text)).not.toHaveProperty('projects')
  })
})

describe('kept answers under any sequence of runner reads and writes', () => {
  const TOKENS = ['glpat-AdminToken0000000001', 'glpat-MaintainerToken00001', 'glpat-PlainUserToken000001', 'glpat-AdminReadOnlyToken01']
  const RUNNERS = [4, 6, 7]
  const query = fc.constantFrom(false, false, false, true)
  type Step =
    | { kind: 'read' | 'update'; runner: number; token: number; query: boolean }
    | { kind: 'register' }
    | { kind: 'clock'; minutes: number }

  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), runner: fc.constantFrom(...RUNNERS), token: fc.nat({ max: TOKENS.length - 1 }), query }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), runner: fc.constantFrom(...RUNNERS), token: fc.nat({ max: TOKENS.length - 1 }), query }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), minutes: fc.integer({ min: 1, max: 180 }) }) },
  )

  it('answer every read as a fresh one would, kept or not (an update’s answer given to the next read included)', async () => {
    // Reads given an update's answer: the last update answered 200 without a query, and this read is its caller's.
    let adopted = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30, size: 'medium' }), async (steps) => {
        const app = createApp({ clock: NOW })
        let n = 0
        let waiting: { runner: number; token: number } | undefined
        for (const s of steps) {
          if (s.kind === 'register') {
            await app.request('/api/v4/runners', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":"InstanceRegToken0001"}' })
          } else if (s.kind === 'clock') {
            app.world.clock.set(app.world.clock.now() + s.minutes * 60_000)
          } else if (s.kind === 'update') {
            const url = `/api/v4/runners/${s.runner}${s.query ? `?description=q${++n}` : ''}`
            const res = await app.request(url, { method: 'PUT', headers: { 'PRIVATE-TOKEN': TOKENS[s.token]!, 'Content-Type': 'application/json' }, body: JSON.stringify({ description: `u${++n}` }) })
            waiting = res.status === 200 && !s.query ? { runner: s.runner, token: s.token } : waiting
          } else {
            const url = `/api/v4/runners/${s.runner}${s.query ? '?include_projects=false' : ''}`
            const headers = { 'PRIVATE-TOKEN': TOKENS[s.token]! }
            const r = await read(app, url, headers)
            if (r.kept && !s.query && waiting?.runner === s.runner && waiting.token === s.token) adopted++
            if (!s.query && waiting?.runner === s.runner && waiting.token === s.token) waiting = undefined
            expect({ status: r.status, text: r.text }).toEqual({ status: r.fresh.status, text: r.fresh.text })
          }
        }
      }),
      { numRuns: 150 },
    )
    expect(adopted).toBeGreaterThan(0)
  })
})

describe('kept list pages under any sequence of runner writes', () => {
  const LISTS = [
    '/api/v4/runners/all?per_page=5',
    '/api/v4/runners/all?per_page=5&page=2',
    '/api/v4/runners/all?type=project_type&status=online&tag_list=docker',
    '/api/v4/runners/all?status=offline&per_page=3',
    '/api/v4/runners/all?paused=true',
    '/api/v4/runners?per_page=4',
    '/api/v4/runners?status=online',
  ]
  const LIST_TOKENS = ['glpat-AdminToken0000000001', 'glpat-MaintainerToken00001']
  type Step =
    | { kind: 'list'; list: number; token: number }
    | { kind: 'update'; runner: number; change: number }
    | { kind: 'register' }
    | { kind: 'contact' }
    | { kind: 'delete'; runner: number }
    | { kind: 'clock'; minutes: number }
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('list' as const), list: fc.nat({ max: LISTS.length - 1 }), token: fc.nat({ max: 1 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), runner: fc.integer({ min: 1, max: 12 }), change: fc.nat({ max: 3 }) }) },
    { weight: 1, arbitrary: fc.oneof(fc.record({ kind: fc.constant('register' as const) }), fc.record({ kind: fc.constant('contact' as const) })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), runner: fc.integer({ min: 1, max: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), minutes: fc.integer({ min: 1, max: 200 }) }) },
  )
  const CHANGES = [{ description: 'renamed' }, { paused: true }, { paused: false }, { tag_list: 'docker,linux' }]

  it('answer every list read as a fresh one would, mended or not', async () => {
    const before = keptAnswersMended()
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30, size: 'medium' }), async (steps) => {
        const app = createApp({ clock: NOW })
        let n = 0
        for (const s of steps) {
          if (s.kind === 'register') {
            await app.request('/api/v4/runners', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":"InstanceRegToken0001","tag_list":"docker"}' })
          } else if (s.kind === 'contact') {
            // A runner's heartbeat (POST /runners/verify) moves its contacted_at: its status changes by a write.
            await app.request('/api/v4/runners/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":"ProjectRunnerToken01"}' })
          } else if (s.kind === 'clock') {
            app.world.clock.set(app.world.clock.now() + s.minutes * 60_000)
          } else if (s.kind === 'delete') {
            await app.request(`/api/v4/runners/${s.runner}`, { method: 'DELETE', headers: ADMIN })
          } else if (s.kind === 'update') {
            const change = s.change === 0 ? { description: `renamed ${++n}` } : CHANGES[s.change]
            await app.request(`/api/v4/runners/${s.runner}`, { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify(change) })
          } else {
            const r = await read(app, LISTS[s.list]!, { 'PRIVATE-TOKEN': LIST_TOKENS[s.token]! })
            expect({ status: r.status, text: r.text, headers: r.headers }).toEqual({ status: r.fresh.status, text: r.fresh.text, headers: r.fresh.headers })
          }
        }
      }),
      { numRuns: 150 },
    )
    expect(keptAnswersMended()).toBeGreaterThan(before)
  })
})

describe('kept answers of two servers over one world', () => {
  it('keep each server’s own URLs (external URLs differ): details, an update’s answer, a list’s Link', async () => {
    const world = new MockWorld({ clock: NOW })
    const a = createApp({ world, externalUrl: 'https://a.example.com' })
    const b = createApp({ world, externalUrl: 'https://b.example.com' })
    const json = { ...ADMIN, 'Content-Type': 'application/json' }
    expect((await a.request('http://localhost/api/v4/runners/6', { method: 'PUT', headers: json, body: '{"description":"x"}' })).status).toBe(200)
    const details = (await get(b, 'http://localhost/api/v4/runners/6')).text
    expect(details).toContain('https://b.example.com/')
    expect(details).not.toContain('a.example.com')
    await get(a, 'http://localhost/api/v4/runners/all?per_page=2')
    expect((await get(b, 'http://localhost/api/v4/runners/all?per_page=2')).link).toMatch(/^<https:\/\/b\.example\.com\//)
    await get(a, 'http://localhost/api/v4/runners/6')
    expect((await get(b, 'http://localhost/api/v4/runners/6')).text).not.toContain('a.example.com')
  })
})

describe('a mended list page', () => {
  it('still ends when a runner it does not show changes status with time (a status filter’s count)', async () => {
    const app = createApp({ clock: NOW })
    const online = JSON.parse((await get(app, '/api/v4/runners/all?status=online&per_page=100')).text) as Array<{ id: number }>
    const runners = online.map((r) => app.world.store.runner(r.id)!)
    const first = Math.min(...runners.map((r) => r.contactedAt! + ONLINE_CONTACT_TIMEOUT_MS))
    const path = '/api/v4/runners/all?status=offline&per_page=1'
    await get(app, path)
    // A write to a shown-or-not runner: the next read is mended, not made anew.
    expect((await app.request('/api/v4/runners/6', { method: 'PUT', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: '{"description":"x"}' })).status).toBe(200)
    const mendsBefore = keptAnswersMended()
    const mended = await read(app, path)
    expect(keptAnswersMended()).toBe(mendsBefore + 1)
    expect(mended.text).toBe(mended.fresh.text)
    app.world.clock.set(first) // the first online runner goes offline: the list counts one more
    const after = await read(app, path)
    expect(after.kept).toBe(false)
    expect(Number(after.total)).toBe(Number(mended.total) + 1)
  })
})
