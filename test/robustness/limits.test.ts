/** @module Limits: oversized bodies get a 413 the client really receives (over a real socket), long URLs, page extremes and huge tag lists are answered sensibly. */
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { expectError, harness, TOKENS } from '../harness.js'

interface RawAnswer {
  status?: number
  body: string
  error?: string
}

/** Send over node:http, writing the body in 64 KiB chunks (chunked encoding when `chunked`); never throws. */
function send(url: string, method: string, body: Buffer, options: { chunked?: boolean; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'PRIVATE-TOKEN': TOKENS.admin, ...options.headers }
    if (!options.chunked) headers['Content-Length'] = String(body.length)
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (e) => resolve({ status: res.statusCode, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }))
    })
    req.on('error', (e) => resolve({ body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }))
    let offset = 0
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 65536)
        offset += chunk.length
        if (!req.write(chunk)) return void req.once('drain', writeMore)
      }
      req.end()
    }
    writeMore()
  })
}

const twoMiB = () => Buffer.from(JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) }))
const TOO_LARGE = { status: 413, body: JSON.stringify({ message: '413 Request Entity Too Large' }) }

describe('the request body limit over a real socket', () => {
  let server: MockServer
  beforeAll(async () => {
    server = await startMockServer({ gitlabVersion: '15.11' })
  })
  afterAll(() => server.close())

  it('answers a 2 MiB body to a route that reads it with 413 and a JSON body, not a connection reset', async () => {
    expect(await send(`${server.url}/api/v4/runners/1`, 'PUT', twoMiB())).toEqual(TOO_LARGE)
  })

  it('answers 413 as well to routes that never read their body, and to the control API', async () => {
    expect(await send(`${server.url}/api/v4/runners/reset_registration_token`, 'POST', twoMiB())).toEqual(TOO_LARGE)
    expect(await send(`${server.url}/-/mock/reset`, 'POST', twoMiB())).toEqual(TOO_LARGE)
    expect(await send(`${server.url}/api/v4/nowhere`, 'POST', twoMiB())).toEqual(TOO_LARGE)
  })

  it('answers 413 to a 2 MiB chunked body (no Content-Length) once the limit is passed', async () => {
    expect(await send(`${server.url}/api/v4/runners/1`, 'PUT', twoMiB(), { chunked: true })).toEqual(TOO_LARGE)
  })

  it('keeps serving after refusing oversized bodies', async () => {
    const ok = await send(`${server.url}/api/v4/runners/1`, 'PUT', Buffer.from('{"description":"after"}'))
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ id: 1, description: 'after' })
  })

  it('answers a 12 KiB query string normally, and a 64 KiB URL with a 4xx rather than a reset', async () => {
    const res = await fetch(`${server.url}/api/v4/runners/1?search=${'a'.repeat(12 * 1024)}`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
    expect([res.status, ((await res.json()) as { id: number }).id]).toEqual([200, 1])
    // a list echoes its query into Link four times, so 3 KiB there stays under clients' 16 KiB header limit
    const list = await fetch(`${server.url}/api/v4/runners/all?search=${'a'.repeat(3 * 1024)}`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
    expect([list.status, Array.isArray(await list.json())]).toEqual([200, true])
    const huge = await send(`${server.url}/api/v4/runners/all?search=${'a'.repeat(64 * 1024)}`, 'GET', Buffer.alloc(0))
    expect(huge.error).toBeUndefined()
    expect(huge.status).toBe(431) // node's header limit (16 KiB) answers before the app; GitLab's front answers 414
  })
})

describe('the bodyLimit option', () => {
  it('refuses a body over a configured limit and accepts one under it', async () => {
    const server = await startMockServer({ bodyLimit: 1000, gitlabVersion: '15.11' })
    try {
      const big = Buffer.from(JSON.stringify({ description: 'y'.repeat(1200) }))
      expect(await send(`${server.url}/api/v4/runners/1`, 'PUT', big)).toEqual(TOO_LARGE)
      const small = await send(`${server.url}/api/v4/runners/1`, 'PUT', Buffer.from(JSON.stringify({ description: 'y'.repeat(900) })))
      expect(small.status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('applies in process too, for JSON, form and multipart bodies', async () => {
    const h = harness({ bodyLimit: 100 })
    const long = 'z'.repeat(200)
    expectError(await h.put('/runners/1', { token: TOKENS.admin, body: { description: long } }), 413, { message: '413 Request Entity Too Large' })
    expectError(await h.put('/runners/1', { token: TOKENS.admin, form: { description: long } }), 413, { message: '413 Request Entity Too Large' })
    const multipart = `--B\r\nContent-Disposition: form-data; name="description"\r\n\r\n${long}\r\n--B--\r\n`
    expectError(
      await h.put('/runners/1', { token: TOKENS.admin, body: multipart, headers: { 'Content-Type': 'multipart/form-data; boundary=B' } }),
      413,
      { message: '413 Request Entity Too Large' },
    )
  })
})

describe('extreme parameters', () => {
  it('answers per_page and page extremes without an error', async () => {
    const h = harness()
    const huge = '9'.repeat(400)
    const clamped = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: `per_page=${huge}` })
    expect([clamped.status, clamped.headers.get('x-per-page'), clamped.body.length]).toEqual([200, '100', 31])
    const negative = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: 'per_page=-5&page=-5' })
    expect([negative.status, negative.headers.get('x-per-page'), negative.headers.get('x-page')]).toEqual([200, '20', '1'])
    const far = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: `page=${huge}` })
    expect([far.status, far.body]).toEqual([200, []])
    expectError(await h.get('/runners/all', { token: TOKENS.admin, rawQuery: 'per_page=0' }), 400, { error: 'per_page has a value not allowed' })
  })

  it('answers tag lists with thousands of entries: refused on write, an empty match on read', async () => {
    const h = harness()
    const tags = Array.from({ length: 5000 }, (_, i) => `tag${i}`)
    const tooMany = { message: { tags_list: ['Too many tags specified. Please limit the number of tags to 50'] } }
    expectError(await h.put('/runners/1', { token: TOKENS.admin, body: { tag_list: tags } }), 400, tooMany)
    expectError(await h.post('/runners', { body: { token: 'InstanceRegToken0001', tag_list: tags.join(',') } }), 400, tooMany)
    const list = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: `tag_list=${tags.join(',')}` })
    expect([list.status, list.body]).toEqual([200, []])
  })

  it('answers a 200 KiB query string and keys nested 5000 levels deep in process', async () => {
    const h = harness()
    const long = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: `search=${'q'.repeat(200 * 1024)}` })
    expect(long.status).toBe(200)
    const deep = await h.get('/runners/all', { token: TOKENS.admin, rawQuery: `a${'[b]'.repeat(5000)}=1&per_page=1` })
    expect([deep.status, deep.body.length]).toEqual([200, 1])
  })

  it('ignores __proto__ keys in queries and bodies instead of following them', async () => {
    const h = harness()
    const res = await h.put('/runners/1', { token: TOKENS.admin, rawQuery: '__proto__[description]=q', body: '{"__proto__":{"description":"p"},"locked":true}', headers: { 'Content-Type': 'application/json' } })
    expect([res.status, res.body.description, res.body.locked]).toEqual([200, 'shared-linux-online', true])
    expect('description' in {}).toBe(false)
  })
})
