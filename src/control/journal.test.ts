import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { RUNNER_TOKENS, TOKENS, harness } from '../../test/harness.js'
import { startMockServer } from '../server.js'
import { randomSource } from '../domain/random.js'
import { requestId } from '../http/request-id.js'
import { BODY_KEEP, Journal, SHARE_SPAN, behind, requestBodyText, verify, type JournalRecord } from './journal.js'

const admin = { token: TOKENS.admin }

/** An entry as the request path writes it (src/control/world-middleware.ts): a polling client's repeat on a path of its own, else appended. */
function add(
  journal: Journal, at: number, worldAt: number, method: string, path: string, target: string, endpoint: string | null, headers: string[],
  requestBody: Uint8Array | undefined, responseBody: string | Uint8Array | undefined, requestId: string, version = '18.11',
): void {
  const seq = journal.nextSeq()
  if (!journal.repeat(seq, at, worldAt, method, target, version, 200, 0.1, headers, requestBody, responseBody, null, requestId))
    journal.append(seq, at, worldAt, method, path, target, endpoint, 200, 0.1, headers, requestBody, responseBody, null, requestId, version)
}

describe('the request journal', () => {
  it('records every answered request of its world with endpoint, status, query, headers and bodies, oldest first', async () => {
    const h = harness()
    await h.get('/-/worlds/j/api/v4/runners/1', admin)
    await h.put('/-/worlds/j/api/v4/runners/1', { ...admin, body: { description: 'seen' } })
    await h.get('/-/worlds/j/api/v4/runners/all', { ...admin, query: { scope: 'online', per_page: 1 } })
    await h.get('/-/worlds/j/api/v4/nowhere', admin)
    await h.get('/api/v4/runners/2', admin) // another world
    await h.get('/-/worlds/j/-/mock/state') // control calls are not journaled
    const { body } = await h.get('/-/worlds/j/-/mock/requests')
    expect(body.dropped).toBe(0)
    expect(body.requests.map((r: { method: string; path: string; endpoint: string | null; status: number }) => [r.method, r.path, r.endpoint, r.status])).toEqual([
      ['GET', '/api/v4/runners/1', 'GET /api/v4/runners/:id', 200],
      ['PUT', '/api/v4/runners/1', 'PUT /api/v4/runners/:id', 200],
      ['GET', '/api/v4/runners/all', 'GET /api/v4/runners/all', 200],
      ['GET', '/api/v4/nowhere', null, 404],
    ])
    const [first, put, list] = body.requests
    expect(first.seq).toBeLessThan(put.seq)
    expect(first.world_time).toBe('2026-01-15T12:00:00.000Z')
    expect(put.request_body).toBe('{"description":"seen"}')
    expect(JSON.parse(put.response_body).description).toBe('seen')
    expect(put.request_headers['private-token']).toBe('[REDACTED]')
    expect(list.query).toEqual({ scope: 'online', per_page: '1' })
    expect(typeof list.duration_ms).toBe('number')
  })

  it("keeps each entry's wall time as its request id's and its world time as the world's clock says at that instant: frozen, advanced, real and shifted", async () => {
    const h = harness() // the world's clock frozen at 2026-01-15T12:00:00Z
    const ULID = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
    const idTime = (id: string) => [...id.slice(0, 10)].reduce((t, ch) => t * 32 + ULID.indexOf(ch), 0)
    const before = Date.now()
    await h.get('/api/v4/runners/1', admin)
    await h.post('/-/mock/clock/advance', { body: { duration: '2h' } })
    await h.get('/api/v4/runners/1', admin)
    await h.post('/-/mock/clock/real')
    await h.get('/api/v4/runners/1', admin)
    await h.post('/-/mock/clock/advance', { body: { duration: '-3d' } })
    await h.get('/api/v4/runners/1', admin)
    const after = Date.now()
    const { requests } = (await h.get('/-/mock/requests')).body as { requests: Array<{ time: string; world_time: string; request_id: string }> }
    expect(requests).toHaveLength(4)
    for (const r of requests) {
      const at = Date.parse(r.time)
      expect(at).toBe(idTime(r.request_id))
      // Derived from the request's monotonic clock read (src/http/request-time.ts): Date.now()'s, within a millisecond.
      expect(at).toBeGreaterThanOrEqual(before - 1)
      expect(at).toBeLessThanOrEqual(after + 1)
    }
    const [frozen, advanced, real, shifted] = requests as [(typeof requests)[0], (typeof requests)[0], (typeof requests)[0], (typeof requests)[0]]
    expect([frozen.world_time, advanced.world_time]).toEqual(['2026-01-15T12:00:00.000Z', '2026-01-15T14:00:00.000Z'])
    expect(real.world_time).toBe(real.time)
    expect(Date.parse(shifted.world_time)).toBe(Date.parse(shifted.time) - 3 * 86_400_000)
  })

  it('records a multipart body (read as bytes) and a form body (read as text)', async () => {
    const h = harness()
    const multipart = '--X\r\nContent-Disposition: form-data; name="description"\r\n\r\nfrom multipart\r\n--X--\r\n'
    const one = await h.put('/api/v4/runners/1', { ...admin, body: multipart, headers: { 'Content-Type': 'multipart/form-data; boundary=X' } })
    const two = await h.put('/api/v4/runners/1', { ...admin, form: { description: 'from a form' } })
    expect([one.body.description, two.body.description]).toEqual(['from multipart', 'from a form'])
    const { body } = await h.get('/-/mock/requests')
    expect(body.requests.map((r: { request_body: string }) => r.request_body)).toEqual([multipart, 'description=from+a+form'])
  })

  it('over HTTP keeps the headers as sent: a repeated name once with its values joined, empty values and colons kept', async () => {
    const server = await startMockServer({ logLevel: 'silent' })
    try {
      const url = new URL('/api/v4/runners/1?a=1&b=', server.url)
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { headers: ['Host', url.host, 'PRIVATE-TOKEN', TOKENS.admin, 'X-Trace', 'one', 'x-trace', 'two', 'X-Empty', '', 'X-Url', 'http://a:1/b?c=d'] as unknown as Record<string, string> }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        req.on('error', reject)
        req.end()
      })
      const { requests } = (await (await fetch(new URL('/-/mock/requests', server.url))).json()) as { requests: Array<Record<string, unknown>> }
      const [entry] = requests
      expect(entry).toMatchObject({ method: 'GET', path: '/api/v4/runners/1', query: { a: '1', b: '' }, status: 200 })
      expect(entry?.request_headers).toMatchObject({ 'private-token': '[REDACTED]', 'x-trace': 'one, two', 'x-empty': '', 'x-url': 'http://a:1/b?c=d' })
      expect(typeof entry?.request_id).toBe('string')
      expect((entry?.request_id as string).length).toBeGreaterThan(10)
    } finally {
      await server.close()
    }
  })

  it('filters by method, path glob, endpoint, status, since and unmatched; DELETE clears it', async () => {
    const h = harness()
    await h.get('/api/v4/runners/1', admin)
    await h.get('/api/v4/runners/2', admin)
    await h.get('/api/v4/runners/999', admin)
    await h.del('/api/v4/runners/3', admin)
    await h.get('/api/v4/unknown', admin)
    const paths = async (query: Record<string, string>) =>
      (await h.get('/-/mock/requests', { query })).body.requests.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)
    expect(await paths({ method: 'get', path: '/api/v4/runners/*' })).toEqual(['GET /api/v4/runners/1', 'GET /api/v4/runners/2', 'GET /api/v4/runners/999'])
    expect(await paths({ endpoint: 'DELETE /api/v4/runners/:id' })).toEqual(['DELETE /api/v4/runners/3'])
    expect(await paths({ status: '404' })).toEqual(['GET /api/v4/runners/999', 'GET /api/v4/unknown'])
    expect(await paths({ unmatched: 'true' })).toEqual(['GET /api/v4/unknown'])
    const all = (await h.get('/-/mock/requests')).body.requests
    expect(await paths({ since: String(all[2].seq) })).toEqual(['DELETE /api/v4/runners/3', 'GET /api/v4/unknown'])
    expect((await h.get('/-/mock/requests', { query: { status: 'x' } })).status).toBe(400)
    expect((await h.del('/-/mock/requests')).status).toBe(204)
    expect((await h.get('/-/mock/requests')).body.requests).toEqual([])
  })

  it('keeps the last N (dropped counts the rest), and is off with size 0', async () => {
    const small = harness({ journalSize: 2 })
    for (const id of [1, 2, 3]) await small.get(`/api/v4/runners/${id}`, admin)
    const { body } = await small.get('/-/mock/requests')
    expect(body.requests.map((r: { path: string }) => r.path)).toEqual(['/api/v4/runners/2', '/api/v4/runners/3'])
    expect(body.dropped).toBe(1)
    const off = harness({ journalSize: 0 })
    await off.get('/api/v4/runners/1', admin)
    expect((await off.get('/-/mock/requests')).body).toEqual({ requests: [], dropped: 0, enabled: false })
  })

  it('redacts tokens in headers, query, request and response bodies, also where they are repeated elsewhere', async () => {
    const h = harness()
    const reg = await h.post('/api/v4/runners', { body: { token: 'InstanceRegToken0001', description: 'InstanceRegToken0001 in text' } })
    await h.get('/api/v4/runners/1', { query: { private_token: TOKENS.maintainer } })
    await h.post('/api/v4/runners/verify', { form: { token: RUNNER_TOKENS.shared1 } })
    await h.get('/api/v4/runners/2', { headers: { Authorization: `Bearer ${TOKENS.admin}` } })
    const text = JSON.stringify((await h.get('/-/mock/requests')).body)
    for (const secret of ['InstanceRegToken0001', reg.body.token, TOKENS.maintainer, RUNNER_TOKENS.shared1, TOKENS.admin]) expect(text).not.toContain(secret)
    expect(text).toContain('[REDACTED] in text')
  })
})

describe('the journal ring', () => {
  it.each([100, 31, 5, 1])(
    'gives back what was appended, in a ring of %i, whatever the mix of texts, bodies and shared answers',
    (capacity) => {
      // A model of the ring (the last `capacity` entries as given, bodies cut) against the journal, read at random
      // moments as the log grows, wraps and drops entries. Texts of 3-byte characters fill the room an entry reserves
      // to its last byte; answers grow late, so the log grows after it has wrapped, with entries that share their
      // answer alive; a long run of one answer shares it across more than SHARE_SPAN. A body cut inside a surrogate
      // pair keeps U+FFFD for the half it lost.
      const rng = randomSource({ rngState: capacity })
      const journal = new Journal(capacity)
      const model: JournalRecord[] = []
      const words = ['', 'a', 'runners', 'é', 'café', '日本', '😀', 'x'.repeat(300), '日'.repeat(200)]
      const text = (parts: number) => Array.from({ length: parts }, () => rng.pick(words)).join('/')
      const small = '{"answer":1}'
      const kept = `{"answer":"${'é'.repeat(2000)}"}`
      const cutPair = `${'a'.repeat(BODY_KEEP - 1)}😀`
      const normal = (r: JournalRecord) => ({ ...r, requestBody: r.requestBody && [...r.requestBody], responseBody: r.responseBody instanceof Uint8Array ? [...r.responseBody] : r.responseBody })
      let reads = 0
      for (let i = 0; i < 4000; i++) {
        const run = i >= 2500 && i < 2800 // one answer 300 times, between request bodies of 1,000 bytes
        const shape = run ? 2 : rng.int(7)
        const response =
          shape === 0 ? undefined
          : shape === 1 ? new Uint8Array(rng.int(40)).fill(i & 255)
          : shape <= 3 ? (i < 1500 ? small : kept)
          : shape === 4 ? cutPair
          : `{"n":${i},"t":"${text(rng.int(4))}"}`.repeat(1 + rng.int(3) * (i >> 6))
        const bodyShape = run ? 1 : rng.int(4)
        const requestBody =
          bodyShape === 0 ? undefined : bodyShape === 1 ? new Uint8Array(run ? 1000 : rng.int(BODY_KEEP + 50)).fill(7) : bodyShape === 2 ? text(rng.int(5)) : '日'.repeat(BODY_KEEP + rng.int(20))
        const headers = rng.int(4) === 0 ? new Headers([['x-note', `${rng.pick(['café', 'a', ''])}-${i}`]]) : ['Host', 'localhost', 'X-Note', text(rng.int(3))]
        // The same request sent again (equal strings, not the same ones), often, and all through the run of one answer.
        const last = model.at(-1)
        const again = last !== undefined && (run || rng.int(3) === 0)
        const copy = (t: string) => [...t].join('')
        // Ids as the request path makes them (kept as numbers when the newest made for the entry's time), one made
        // before another request's (kept as text), and any other text.
        const at = 4_000_000_000_000 + i
        const idShape = i % 11 === 0 ? 0 : rng.int(3)
        const id = idShape === 0 ? `ïd-${i}-😀` : idShape === 1 ? `id-${i}` : requestId(at)
        if (idShape === 2 && rng.int(3) === 0) requestId(at)
        const record: JournalRecord = {
          seq: journal.nextSeq(), at, worldAt: 2 * i,
          ...(again
            ? { method: copy(last.method), path: copy(last.path), query: copy(last.query) }
            : { method: rng.pick(['GET', 'PUT', 'POST']), path: `/api/v4/${text(1 + rng.int(2))}`, query: rng.int(2) === 0 ? '' : `q=${text(1)}` }),
          endpoint: rng.int(2) === 0 ? null : 'GET /api/v4/runners/:id', status: 200 + rng.int(300), durationMs: i / 7,
          headers: again ? last.headers.map(copy) : headers instanceof Headers ? [...headers].flat() : headers,
          requestBody: requestBody === undefined ? undefined : typeof requestBody === 'string' ? new TextEncoder().encode(requestBody.slice(0, BODY_KEEP)) : requestBody.subarray(0, BODY_KEEP),
          responseBody: typeof response === 'string' ? Buffer.from(response.slice(0, BODY_KEEP)).toString() : response, fault: rng.int(5) === 0 ? i : null, requestId: id,
        }
        journal.append(record.seq, record.at, record.worldAt, record.method, record.path, record.query === '' ? record.path : `${record.path}?${record.query}`, record.endpoint, record.status, record.durationMs, again ? record.headers : headers, requestBody, response, record.fault, record.requestId)
        model.push(record)
        if (model.length > capacity) model.shift()
        if (rng.int(97) === 0 || i % 500 === 499) {
          reads++
          expect(journal.records().map(normal)).toEqual(model.map(normal))
          expect(journal.last()?.requestId).toBe(record.requestId)
        }
      }
      expect(reads).toBeGreaterThan(10)
    },
  )
})

describe('verification', () => {
  it('answers 200 with the count when it holds, 409 with near misses when not', async () => {
    const h = harness()
    await h.put('/api/v4/runners/1', { ...admin, body: { description: 'one', tag_list: ['x'] } })
    await h.put('/api/v4/runners/2', { ...admin, body: { description: 'two' } })
    await h.get('/api/v4/runners/1', admin)
    const ok = await h.post('/-/mock/requests/verify', { body: { method: 'PUT', endpoint: 'PUT /api/v4/runners/:id', count: 2 } })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ ok: true, count: 2 })
    expect((await h.post('/-/mock/requests/verify', { body: { path: '/api/v4/runners/1' } })).body).toEqual({ ok: true, count: 2 })
    expect((await h.post('/-/mock/requests/verify', { body: { path: '/api/v4/runners/*', body_contains: '"tag_list"', at_most: 1 } })).body).toEqual({ ok: true, count: 1 })
    const miss = await h.post('/-/mock/requests/verify', { body: { method: 'DELETE', path: '/api/v4/runners/1' } })
    expect(miss.status).toBe(409)
    expect(miss.body).toMatchObject({ ok: false, count: 0, expected: { at_least: 1 } })
    expect(miss.body.near_misses.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/runners/1', 'PUT /api/v4/runners/1'])
    const body = await h.post('/-/mock/requests/verify', { body: { endpoint: 'PUT /api/v4/runners/:id', body_contains: 'three' } })
    expect(body.status).toBe(409)
    expect(body.body.near_misses).toHaveLength(2)
    expect((await h.post('/-/mock/requests/verify', { body: { method: 'GET' } })).status).toBe(400)
    expect((await h.post('/-/mock/requests/verify', { body: { path: '/x', count: 1, at_least: 1 } })).status).toBe(400)
  })

  it('gives back every text as recorded: non-ASCII, empty, long (kept apart), across blocks and after the ring wraps', () => {
    const journal = new Journal(20)
    const long = 'x'.repeat(3000)
    const record = (i: number): JournalRecord => ({
      seq: journal.nextSeq(), at: i, worldAt: i, method: i % 2 ? 'PUT' : 'GET', path: `/api/v4/runners/${i}/✓`, query: i % 3 ? `a=${i}&b=` : '',
      endpoint: null, status: 200, durationMs: 0,
      headers: ['Host', 'h', 'X-Name', `café ${i}`, 'X-Empty', '', ...(i % 7 === 0 ? ['X-Long', long] : [])],
      requestBody: undefined, responseBody: undefined, fault: null, requestId: `req-${i}`,
    })
    const all = Array.from({ length: 45 }, (_, i) => record(i))
    for (const r of all) journal.record(r)
    const kept = journal.records()
    expect(kept).toEqual(all.slice(25))
    expect(journal.dropped).toBe(25)
    expect(journal.last()).toEqual(all[44])
  })

  it('keeps bodies as bytes: cut to BODY_KEEP, exact after the log grows, wraps and grows again while wrapped, and cleared', () => {
    const journal = new Journal(7)
    const cut = (s: string) => s.slice(0, BODY_KEEP)
    // Bodies as base64 for a quick comparison.
    const shown = (r: JournalRecord) => ({
      ...r,
      requestBody: r.requestBody && Buffer.from(r.requestBody).toString('base64'),
      responseBody: r.responseBody instanceof Uint8Array ? Buffer.from(r.responseBody).toString('base64') : r.responseBody,
    })
    // Small entries first (the log wraps at its end), then ever larger ones (it grows, also while wrapped). Runs of
    // the very same answer string (as kept answers come) share their bytes.
    let x = 7
    const expected: JournalRecord[] = []
    let text = ''
    for (let i = 0; i < 300; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31
      const size = x % (i < 60 ? 700 : 200 * (i - 55))
      if (x % 3 === 0 || text === '') text = `${'é✓'.repeat(size % 7)}${(i % 2 ? '✓' : 'x').repeat(size)}`
      const bytes = new Uint8Array(size % 5000).map((_, k) => (k * 7 + i) % 256)
      const r: JournalRecord = {
        seq: journal.nextSeq(), at: i, worldAt: i, method: 'POST', path: `/p/${i}`, query: '', endpoint: i % 2 ? 'POST /p/:id' : null, status: 201, durationMs: i / 3,
        headers: ['X-Size', String(size)], requestBody: i % 4 === 0 ? undefined : bytes, responseBody: i % 5 === 0 ? undefined : i % 5 === 4 ? new TextEncoder().encode(text) : text,
        fault: i % 5 === 0 ? i : null, requestId: `r${i}`,
      }
      journal.record(r)
      expected.push({
        ...r,
        requestBody: r.requestBody?.slice(0, BODY_KEEP),
        responseBody: typeof r.responseBody === 'string' ? cut(r.responseBody) : r.responseBody?.slice(0, BODY_KEEP),
      })
      expect(journal.records().map(shown)).toEqual(expected.slice(-7).map(shown))
    }
    journal.clear()
    expect(journal.records()).toEqual([])
    const again = { ...expected[2]!, seq: journal.nextSeq() }
    journal.record(again)
    expect(journal.records()).toEqual([again])
  })

  it('keeps every body exact when the log grows while wrapped', () => {
    // These sizes (with these texts) make the 16 KB log wrap, then grow while its entries straddle its end.
    const journal = new Journal(3)
    const expected: string[] = []
    ;[3500, 500, 500, 2000, 2500, 4000, 2500, 4000, 2500, 2000, 1500, 4000].forEach((size, i) => {
      const body = new Uint8Array(size).map((_, k) => (k + i) % 251)
      journal.append(journal.nextSeq(), 0, 0, 'PUT', '/p', '/p', null, 200, 0, [], body, body.map((b) => 255 - b), null, 'r')
      expected.push(Buffer.from(body).toString('base64') + '/' + Buffer.from(body.map((b) => 255 - b)).toString('base64'))
      expect(journal.records().map((r) => Buffer.from(r.requestBody!).toString('base64') + '/' + Buffer.from(r.responseBody as Uint8Array).toString('base64'))).toEqual(expected.slice(-3))
    })
  })

  it('keeps a repeated answer once, alive while any entry shows it, and never shares across an evicted entry', () => {
    // The same string answered 600 times: the entries share its bytes, so the log must keep them after the entry
    // that wrote them is gone (the texts alone fill the 16 KB log several times over).
    const journal = new Journal(3)
    const kept = `[${'é'.repeat(3000)}]`
    for (let i = 0; i < 600; i++) {
      journal.append(journal.nextSeq(), 0, 0, 'GET', `/runners/${i}`, `/runners/${i}`, null, 200, 0, ['X-N', String(i)], undefined, kept, null, String(i))
      if (i % 50 === 0 || i > 590) expect(journal.records().map((r) => r.responseBody)).toEqual(Array(Math.min(i + 1, 3)).fill(kept))
    }
    journal.append(journal.nextSeq(), 0, 0, 'GET', '/other', '/other', null, 200, 0, [], undefined, 'other', null, 'o')
    expect(journal.records().map((r) => r.responseBody)).toEqual([kept, kept, 'other'])
    // A ring of one: the entry before is the one overwritten.
    const one = new Journal(1)
    one.append(one.nextSeq(), 0, 0, 'GET', '/a', '/a', null, 200, 0, [], undefined, kept, null, 'a')
    one.append(one.nextSeq(), 0, 0, 'GET', '/b'.repeat(2000), '/b'.repeat(2000), null, 200, 0, [], undefined, kept, null, 'b')
    expect(one.records().map((r) => [r.path.length, r.responseBody])).toEqual([[4000, kept]])
  })

  it('holds a log of bounded size while one kept answer is given again and again', () => {
    // A dashboard polling one kept answer all day: shared bytes are written again once they lie SHARE_SPAN behind,
    // so the ring's oldest entry never pins more than that (before, the log grew by each entry's texts for ever).
    const journal = new Journal(1000)
    const kept = `[${'{"id":1,"description":"runner"},'.repeat(200)}{}]`
    let most = 0
    for (let i = 0; i < 100_000; i++) {
      journal.append(journal.nextSeq(), i, i, 'GET', '/api/v4/runners/all', '/api/v4/runners/all?per_page=20', 'GET /api/v4/runners/all', 200, 0.1, ['Host', '127.0.0.1', 'PRIVATE-TOKEN', 'glpat-x'], undefined, kept, null, `id-${i}`)
      most = Math.max(most, journal.logBytes)
    }
    expect(most).toBeLessThanOrEqual(512 * 1024)
    const records = journal.records()
    expect(records).toHaveLength(1000)
    expect(records.every((r) => r.responseBody === kept.slice(0, BODY_KEEP))).toBe(true)
    expect(records.map((r) => r.requestId)).toEqual(Array.from({ length: 1000 }, (_, k) => `id-${99_000 + k}`))
  })

  it.each([2, 3, 4, 6])('keeps every entry whole, read after each append, as a log that has wrapped grows and wraps again (ring of %i)', (capacity) => {
    // The log grows while the ring is dropping entries (an ASCII answer reserves three times the bytes it takes),
    // then wraps with entries that land near its end, where a head from before the growth would let the tail run
    // over the oldest entry. Cleared now and then, so the log starts small and grows many times.
    const rng = randomSource({ rngState: 7 * capacity })
    const journal = new Journal(capacity)
    let model: { id: string; request: Buffer; response: string }[] = []
    for (let i = 0; i < 4000; i++) {
      if (rng.int(60) === 0) {
        journal.clear()
        model = []
      }
      const size = () => (rng.int(3) === 0 ? rng.int(BODY_KEEP) : rng.int(200))
      const request = Buffer.alloc(size(), i & 255)
      const response = String.fromCharCode(97 + (i % 26)).repeat(size())
      journal.append(journal.nextSeq(), i, i, rng.pick(['GET', 'PUT']), '/p', '/p', null, 200, 0, [], request, response, null, `id-${i}`)
      model.push({ id: `id-${i}`, request, response })
      if (model.length > capacity) model.shift()
      const records = journal.records()
      expect(records.map((r) => r.requestId)).toEqual(model.map((m) => m.id))
      expect(records.every((r, k) => Buffer.from(r.requestBody ?? []).equals(model[k]!.request) && r.responseBody === model[k]!.response)).toBe(true)
    }
  })

  it.each([1, 2, 3, 5])('keeps every entry whole while a polling client repeats requests and answers, with answers shared from further back than texts (ring of %i)', (capacity) => {
    // Repeats (the same request and answer, an id made for its time) take a path of their own; here they follow
    // entries that share an older answer with newer texts, answers given as text and as bytes, and ids of other times,
    // while long answers make the log wrap and grow. Every record is read back after every append.
    const rng = randomSource({ rngState: 11 * capacity })
    const journal = new Journal(capacity)
    const requests = [
      { method: 'GET', path: '/api/v4/runners/6', target: '/api/v4/runners/6', headers: () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.admin] },
      { method: 'GET', path: '/api/v4/runners/all', target: '/api/v4/runners/all?per_page=20', headers: () => ['Host', '127.0.0.1', 'X-Long', 'h'.repeat(1500)] },
      { method: 'GET', path: '/api/v4/runners', target: '/api/v4/runners', headers: () => ['Host', '127.0.0.1'] },
      // The first one with only its method, only its query, or only a header's value changed.
      { method: 'HEAD', path: '/api/v4/runners/6', target: '/api/v4/runners/6', headers: () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.admin] },
      { method: 'GET', path: '/api/v4/runners/6', target: '/api/v4/runners/6?x=1', headers: () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.admin] },
      { method: 'GET', path: '/api/v4/runners/6', target: '/api/v4/runners/6', headers: () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.maintainer] },
    ]
    const answers: (string | Uint8Array | undefined)[] = ['a'.repeat(3000), Buffer.alloc(2500, 7), '{"id":6}', 'é'.repeat(1200), undefined]
    // The route a request finds depends on the world's GitLab version: a repeat under another one looks for it again.
    const versions = ['18.11', '17.0']
    const endpointOf = (method: string, path: string, version: string) => `${method} ${path} (${version})`
    type Model = { id: string; method: string; path: string; query: string; headers: string[]; response: string | Uint8Array | undefined; endpoint: string }
    let model: Model[] = []
    let request = requests[0]!
    let answer: string | Uint8Array | undefined = answers[0]
    let version = versions[0]!
    // Between the times of the tests before and after it: request ids follow the latest time any test made one for.
    let at = 4_050_000_000_000
    for (let i = 0; i < 3000; i++) {
      // Mostly the same request and answer again; now and then another request (same answer: an older answer shared
      // with newer texts), another answer, or both.
      const roll = rng.int(10)
      if (roll === 0) request = rng.pick(requests)
      else if (roll === 1) answer = rng.pick(answers)
      else if (roll === 2) {
        request = rng.pick(requests)
        answer = rng.pick(answers)
      } else if (roll === 3 && rng.int(3) === 0) version = rng.pick(versions)
      if (rng.int(3) === 0) at++
      const id = requestId(at)
      // An id of another time now and then: kept as text, and the entry takes the general path.
      const entryAt = rng.int(20) === 0 ? at + 1 : at
      const headers = request.headers()
      const endpoint = endpointOf(request.method, request.path, version)
      add(journal, entryAt, entryAt, request.method, request.path, request.target, endpoint, headers, undefined, answer, id, version)
      const q = request.target.indexOf('?')
      model.push({ id, method: request.method, path: request.path, query: q === -1 ? '' : request.target.slice(q + 1), headers, response: answer, endpoint })
      if (model.length > capacity) model = model.slice(1)
      const records = journal.records()
      expect(records.map((r) => r.requestId)).toEqual(model.map((m) => m.id))
      records.forEach((r, k) => {
        const m = model[k]!
        expect([r.method, r.path, r.query, r.headers, r.endpoint]).toEqual([m.method, m.path, m.query, m.headers, m.endpoint])
        if (m.response instanceof Uint8Array) expect(r.responseBody instanceof Uint8Array && Buffer.from(r.responseBody).equals(m.response)).toBe(true)
        else expect(r.responseBody).toBe(m.response)
      })
    }
    // The log stayed bounded: answers of at most 3.6 KB and texts of at most 1.6 KB, shared within SHARE_SPAN.
    expect(journal.logBytes).toBeLessThanOrEqual(4 * SHARE_SPAN)
  })

  it("keeps a repeat's answer while it shows it, where the answer lies further back than the texts it shares", () => {
    // A ring of two and a log of 16 KB: the answer K is written with the first request, a second request shares it
    // (writing only its own texts and body, after K), and the second request sent again shares both. When the next
    // entry does not fit at the log's end, the repeat still needs K, the bytes furthest back: the log must grow rather
    // than wrap over K.
    const journal = new Journal(2)
    const body = (n: number, fill: number) => new Uint8Array(n).fill(fill)
    const answer = body(4000, 1)
    const at = 4_060_000_000_000
    const append = (target: string, request: Uint8Array | undefined, response: Uint8Array) => add(journal, at, at, 'GET', target, target, null, ['Host', 'h'], request, response, requestId(at))
    append('/a', body(4000, 2), answer)
    append('/b', body(4000, 3), answer)
    append('/b', undefined, answer) // the same request again: its texts and answer shared
    append('/c', body(4000, 4), body(2000, 5))
    const [repeat, last] = journal.records()
    expect([repeat!.path, last!.path]).toEqual(['/b', '/c'])
    expect(Buffer.from(repeat!.responseBody as Uint8Array).equals(answer)).toBe(true)
    expect(Buffer.from(last!.responseBody as Uint8Array).equals(body(2000, 5))).toBe(true)

    // The other way round: the texts lie further back than the answer (the request sent again, a new answer, then
    // that answer again), and the repeat still needs its texts.
    const other = new Journal(2)
    const again = (target: string, request: Uint8Array | undefined, response: Uint8Array) => add(other, at, at, 'GET', target, target, null, ['Host', 'h'], request, response, requestId(at))
    const second = body(3000, 7)
    again('/b', body(3000, 6), body(3000, 6))
    again('/b', body(3000, 7), second) // the same request, another answer: its texts shared, the answer written after them
    again('/b', undefined, second)
    again('/c', body(3000, 8), body(2000, 8))
    const [shown, after] = other.records()
    expect([shown!.path, shown!.headers, after!.path]).toEqual(['/b', ['Host', 'h'], '/c'])
    expect(Buffer.from(shown!.responseBody as Uint8Array).equals(second)).toBe(true)
  })

  it('keeps the texts of a request sent again once: its entry holds its own id and shares the rest', () => {
    // A client polling with long headers: 1,000 entries of 2,000 bytes of headers each would take 2 MB written apart.
    const journal = new Journal(1000)
    const headers = () => ['Host', '127.0.0.1', 'X-Long', 'h'.repeat(2000)]
    for (let i = 0; i < 5000; i++) journal.append(journal.nextSeq(), i, i, 'GET', '/api/v4/runners/all', '/api/v4/runners/all?per_page=20', null, 200, 0.1, headers(), undefined, undefined, null, `id-${i}`)
    expect(journal.logBytes).toBeLessThanOrEqual(256 * 1024)
    const records = journal.records()
    expect(records.map((r) => r.requestId)).toEqual(Array.from({ length: 1000 }, (_, k) => `id-${4000 + k}`))
    expect(records.every((r) => r.method === 'GET' && r.path === '/api/v4/runners/all' && r.query === 'per_page=20' && r.headers[3] === 'h'.repeat(2000))).toBe(true)
    // Another request in between is written apart, and the one after it too.
    journal.append(journal.nextSeq(), 0, 0, 'GET', '/api/v4/runners/all', '/api/v4/runners/all?per_page=21', null, 200, 0, headers(), undefined, undefined, null, 'other')
    journal.append(journal.nextSeq(), 0, 0, 'GET', '/api/v4/runners/all', '/api/v4/runners/all?per_page=20', null, 200, 0, [...headers().slice(0, 3), 'x'], undefined, undefined, null, 'last')
    expect(journal.records().slice(-3).map((r) => [r.requestId, r.query, r.headers[3]?.length])).toEqual([['id-4999', 'per_page=20', 2000], ['other', 'per_page=21', 2000], ['last', 'per_page=20', 1]])
  })

  it("keeps a request id made for its entry's time, the newest made, as numbers: a polling client's repeats write no bytes", () => {
    const journal = new Journal(1000)
    const headers = () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.admin]
    const made: string[] = []
    const base = 4_100_000_000_000
    for (let i = 0; i < 3000; i++) {
      const at = base + (i >> 2) // four requests a millisecond: ids that count up within it
      const id = requestId(at)
      made.push(id)
      add(journal, at, at, 'GET', '/api/v4/runners/6', '/api/v4/runners/6', 'GET /api/v4/runners/:id', headers(), undefined, undefined, id)
    }
    // The first entry's texts and nothing more: 1,000 ids of 26 bytes would not fit in the log's first 16 KB.
    expect(journal.logBytes).toBe(16 * 1024)
    expect(journal.records().map((r) => r.requestId)).toEqual(made.slice(-1000))
    // Another id made before the entry is written, or an entry of another time: kept as text, read back the same.
    const stale = requestId(base + 5000)
    requestId(base + 5000)
    journal.append(journal.nextSeq(), base + 5000, 0, 'GET', '/r', '/r', null, 200, 0, [], undefined, undefined, null, stale)
    const newest = requestId(base + 5001)
    journal.append(journal.nextSeq(), base + 5002, 0, 'GET', '/r', '/r', null, 200, 0, [], undefined, undefined, null, newest)
    expect(journal.records().slice(-2).map((r) => r.requestId)).toEqual([stale, newest])
  })

  it("writes a polling client's repeat on its own path only for the newest entry's request sent again: the same GitLab version and answer, no body, an id made for its time", () => {
    const journal = new Journal(4)
    const at = 4_200_000_000_000 // after the test before's times (request ids follow the latest time any test made one for)
    const target = '/api/v4/runners/all?per_page=20'
    const headers = () => ['Host', '127.0.0.1', 'PRIVATE-TOKEN', TOKENS.admin]
    const answer = '[{"id":1}]'
    const repeat = (version: string, body?: Uint8Array, response: string = answer, id = requestId(at)) =>
      journal.repeat(journal.nextSeq(), at, at, 'GET', target, version, 200, 0.1, headers(), body, response, null, id)
    expect(repeat('18.11')).toBe(false) // an empty journal
    journal.append(journal.nextSeq(), at, at, 'GET', '/api/v4/runners/all', target, 'GET /api/v4/runners/all', 200, 0.1, headers(), undefined, answer, null, requestId(at), '18.11')
    expect(repeat('18.11')).toBe(true)
    expect(repeat('17.0')).toBe(false) // its route is looked for again
    expect(repeat('18.11', new Uint8Array(1))).toBe(false)
    expect(repeat('18.11', undefined, '[]')).toBe(false)
    const stale = requestId(at)
    requestId(at)
    expect(repeat('18.11', undefined, answer, stale)).toBe(false)
    expect(repeat('18.11')).toBe(true)
    // A repeat takes the newest entry's endpoint; a request that is not one wrote nothing.
    expect(journal.records().map((r) => [r.endpoint, r.query])).toEqual(Array(3).fill(['GET /api/v4/runners/all', 'per_page=20']))
    // An entry appended without a version: no repeat takes its endpoint.
    journal.append(journal.nextSeq(), at, at, 'GET', '/api/v4/runners/all', target, 'GET /api/v4/runners/all', 200, 0.1, headers(), undefined, answer, null, requestId(at))
    expect(repeat('18.11')).toBe(false)
    journal.clear()
    expect(repeat('18.11')).toBe(false)
  })

  it('over HTTP recognises a request sent again by its method, request-target and headers, and a query that differs as another request', async () => {
    const server = await startMockServer({ logLevel: 'silent' })
    try {
      const long = { 'PRIVATE-TOKEN': TOKENS.admin, 'X-Long': 'h'.repeat(2000) }
      const get = async (target: string) => (await fetch(new URL(target, server.url), { headers: long })).text()
      for (let i = 0; i < 400; i++) await get('/api/v4/runners/all?per_page=2')
      await get('/api/v4/runners/all?per_page=3')
      await get('/api/v4/runners/all?per_page=2')
      const journal = server.worlds.default.journal
      // 402 entries of 2,000 bytes of headers each would take 800 KB written apart.
      expect(journal.logBytes).toBeLessThanOrEqual(128 * 1024)
      const records = journal.records()
      expect(records).toHaveLength(402)
      expect(records.map((r) => r.query).slice(-3)).toEqual(['per_page=2', 'per_page=3', 'per_page=2'])
      expect(records.every((r) => r.path === '/api/v4/runners/all' && r.headers.includes('h'.repeat(2000)) && r.status === 200)).toBe(true)
      expect(new Set(records.map((r) => r.requestId)).size).toBe(402)
    } finally {
      await server.close()
    }
  })

  it('measures how far shared bytes lie behind the tail, straight back or across the end of a wrapped log', () => {
    expect(behind(100, 5000, 16384)).toBe(4900)
    expect(behind(5000, 5000, 16384)).toBe(0)
    // The tail wrapped to the start: back across the log's end.
    expect(behind(16000, 200, 16384)).toBe(584)
    expect(behind(1, 0, 16384)).toBe(16383)
  })

  it('shares a repeated answer while its bytes lie within SHARE_SPAN of the tail', () => {
    // Entries of ~40 bytes each: with sharing, 1,000 repeats of a 4 KB answer take far less than 1,000 copies would.
    const journal = new Journal(1000)
    const kept = 'k'.repeat(BODY_KEEP)
    for (let i = 0; i < 1000; i++) journal.append(journal.nextSeq(), 0, 0, 'GET', '/r', '/r', null, 200, 0, [], undefined, kept, null, String(i))
    expect(journal.logBytes).toBeLessThan(SHARE_SPAN * 2 + BODY_KEEP * 4)
    expect(journal.logBytes).toBeLessThan(1000 * BODY_KEEP)
    expect(journal.records().every((r) => r.responseBody === kept)).toBe(true)
  })

  it('records in-process Headers like a raw list (names lower-cased, values as Headers joins them)', () => {
    const journal = new Journal(2)
    const headers = new Headers([['X-A', '1'], ['x-a', '2'], ['Accept', 'café']])
    journal.append(journal.nextSeq(), 0, 0, 'GET', '/x', '/x?a=1', null, 200, 1, headers, undefined, '{"ok":true}', null, 'id')
    expect(journal.last()).toMatchObject({ headers: ['accept', 'café', 'x-a', '1, 2'], responseBody: '{"ok":true}', requestBody: undefined, query: 'a=1' })
  })

  it('records a request body read as text as the UTF-8 of its first BODY_KEEP characters, between text and bytes entries', () => {
    const journal = new Journal(3)
    const long = 'é'.repeat(BODY_KEEP + 10)
    journal.append(journal.nextSeq(), 0, 0, 'PUT', '/a', '/a', null, 200, 0, [], new Uint8Array([1, 2, 3]), 'one', null, 'a')
    journal.append(journal.nextSeq(), 0, 0, 'PUT', '/b', '/b', null, 200, 0, ['x-a', '1'], long, 'two', null, 'b')
    journal.append(journal.nextSeq(), 0, 0, 'PUT', '/c', '/c', null, 200, 0, [], '{"description":"café"}', new Uint8Array([9]), null, 'c')
    const [a, b, c] = journal.records()
    expect([...a!.requestBody!]).toEqual([1, 2, 3])
    expect(b).toMatchObject({ headers: ['x-a', '1'], responseBody: 'two', requestId: 'b' })
    expect(requestBodyText(b!)).toBe('é'.repeat(BODY_KEEP))
    expect(requestBodyText(c!)).toBe('{"description":"café"}')
    expect([...(c!.responseBody as Uint8Array)]).toEqual([9])
  })

  it('judges count, at_least and at_most exactly', () => {
    const journal = new Journal(10)
    const record = (path: string): JournalRecord => ({
      seq: journal.nextSeq(), at: 0, worldAt: 0, method: 'GET', path, query: '', endpoint: null, status: 200, durationMs: 0, headers: [], requestBody: undefined, responseBody: undefined, fault: null, requestId: 'r',
    })
    for (const p of ['/a', '/a', '/b']) journal.record(record(p))
    const r = journal.records()
    expect(verify(r, { path: '/a', count: 2 }).ok).toBe(true)
    expect(verify(r, { path: '/a', count: 1 }).ok).toBe(false)
    expect(verify(r, { path: '/a', atLeast: 3 }).ok).toBe(false)
    expect(verify(r, { path: '/a', atMost: 1 }).ok).toBe(false)
    expect(verify(r, { path: '/c', atMost: 0 }).ok).toBe(true)
    expect(verify(r, { path: '/*' }).count).toBe(3)
  })
})
