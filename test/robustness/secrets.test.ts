/** @module Secrets: request logs redact token headers and parameters, the control token is compared in constant time, error bodies never repeat a token. */
import { describe, expect, it, vi } from 'vitest'

const compared = vi.hoisted(() => ({ calls: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>()
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.calls++
      return crypto.timingSafeEqual(a, b)
    },
  }
})

const { createApp } = await import('../../src/app.js')
const { sameSecret } = await import('../../src/control/routes.js')
const { REDACTED, redactBody, redactHeaders, redactUrl } = await import('../../src/http/request-log.js')
const { expectError, harness, TOKENS } = await import('../harness.js')

describe('redaction helpers', () => {
  it('redact token parameters by their decoded name, with & or ; between them', () => {
    expect(redactUrl('/api/v4/runners?private_token=glpat-a&page=2')).toBe(`/api/v4/runners?private_token=${REDACTED}&page=2`)
    expect(redactUrl('/x?private%5Ftoken=s1&token%5B%5D=s2&info[token]=s3;access_token=s4&job_token=s5')).toBe(
      `/x?private%5Ftoken=${REDACTED}&token%5B%5D=${REDACTED}&info[token]=${REDACTED};access_token=${REDACTED}&job_token=${REDACTED}`,
    )
    expect(redactUrl('/runners/token?a=1')).toBe('/runners/token?a=1')
    expect(redactUrl('/x?bad%zz=1&token=%zz')).toBe(`/x?bad%zz=1&token=${REDACTED}`)
  })

  it('redact token headers in any case and token fields at any depth', () => {
    const headers = new Headers({ 'Private-Token': 'a', authorization: 'Bearer b', 'JOB-TOKEN': 'c', 'X-Mock-Control-Token': 'd', Accept: 'x' })
    expect(redactHeaders(headers)).toEqual({ accept: 'x', authorization: REDACTED, 'job-token': REDACTED, 'private-token': REDACTED, 'x-mock-control-token': REDACTED })
    expect(redactBody({ token: 't', info: { name: 'n', runners_token: 'r' }, list: [{ private_token: 'p' }] })).toEqual({
      token: REDACTED,
      info: { name: 'n', runners_token: REDACTED },
      list: [{ private_token: REDACTED }],
    })
  })
})

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z'
const ULID = '[0-9A-HJKMNP-TV-Z]{26}'

describe('request logging', () => {
  it('writes one line per request at info, with no token from headers or the query', async () => {
    const lines: string[] = []
    const app = createApp({ gitlabVersion: '15.11', logLevel: 'info', log: (l) => lines.push(l) })
    await app.request(`/api/v4/runners?private_token=${TOKENS.admin}`)
    await app.request('/api/v4/runners/1', { headers: { 'PRIVATE-TOKEN': TOKENS.maintainer } })
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^${ISO} GET /api/v4/runners\\?private_token=\\[REDACTED\\] 200 \\d+\\.\\dms request_id=${ULID}$`))
    expect(lines[1]).toMatch(new RegExp(`^${ISO} GET /api/v4/runners/1 200 \\d+\\.\\dms request_id=${ULID}$`))
  })

  it('writes one JSON object per request with --log-format json: time, method, redacted path, status, duration, world, request id', async () => {
    const lines: string[] = []
    const app = createApp({ logLevel: 'info', logFormat: 'json', log: (l) => lines.push(l) })
    const res = await app.request(`/api/v4/runners?private_token=${TOKENS.admin}`)
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0] as string) as Record<string, unknown>
    expect(Object.keys(entry)).toEqual(['time', 'level', 'msg', 'method', 'path', 'status', 'duration_ms', 'world', 'request_id'])
    expect(entry).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: '/api/v4/runners?private_token=[REDACTED]', status: 200, world: 'default' })
    expect(entry.time).toMatch(new RegExp(`^${ISO}$`))
    expect(entry.request_id).toBe(res.headers.get('x-request-id'))
    expect(lines[0]).not.toContain(TOKENS.admin)
  })

  it('shows headers and parameters at debug, every token redacted, however the token was sent', async () => {
    const lines: string[] = []
    const app = createApp({ gitlabVersion: '15.11', logLevel: 'debug', log: (l) => lines.push(l) })
    const secrets = [TOKENS.admin, TOKENS.groupOwner, 'InstanceRegToken0001', 'SharedRunnerToken001', 'control-secret-1', TOKENS.developer]
    await app.request('/api/v4/runners', { headers: { Authorization: `Bearer ${secrets[0]}` } })
    await app.request(`/api/v4/runners?private%5Ftoken=${secrets[1]}`)
    await app.request(`/api/v4/runners/verify?token=${secrets[3]}`, { method: 'POST' })
    await app.request('/api/v4/runners', { method: 'POST', headers: { 'Content-Type': 'application/json', 'JOB-TOKEN': secrets[5] as string }, body: JSON.stringify({ token: secrets[2] }) })
    await app.request('/-/mock/state', { headers: { 'X-Mock-Control-Token': secrets[4] as string } })
    expect(lines).toHaveLength(5)
    for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret)
    expect(lines[0]).toContain(`"authorization":"${REDACTED}"`)
    expect(lines[3]).toContain(`"job-token":"${REDACTED}"`)
    expect(lines[3]).toContain(`params={"token":"${REDACTED}"}`)
  })

  it('logs nothing below error at level error, and nothing at all when silent', async () => {
    const lines: string[] = []
    await createApp({ gitlabVersion: '15.11', logLevel: 'error', log: (l) => lines.push(l) }).request('/api/v4/runners/1')
    await createApp({ gitlabVersion: '15.11', logLevel: 'silent', log: (l) => lines.push(l) }).request('/api/v4/runners/1')
    expect(lines).toEqual([])
  })
})

describe('the control token', () => {
  it('is compared with timingSafeEqual when the lengths match, and refused otherwise', () => {
    compared.calls = 0
    expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true)
    expect(sameSecret('s3cret-tokeX', 's3cret-token')).toBe(false)
    expect(compared.calls).toBe(2)
    expect(sameSecret('short', 's3cret-token')).toBe(false)
    expect(sameSecret(undefined, 's3cret-token')).toBe(false)
    expect(sameSecret('ünïcode', 'ünïcode')).toBe(true)
  })

  it('guards the control API without echoing what was sent', async () => {
    const h = harness({ controlToken: 'the-control-token' })
    const wrong = await h.post('/-/mock/reset', { headers: { 'X-Mock-Control-Token': 'not-the-control-token' } })
    expect({ status: wrong.status, body: wrong.body }).toEqual({ status: 401, body: { message: '401 Unauthorized', hint: 'send the control token in X-Mock-Control-Token' } })
    expect((await h.post('/-/mock/reset', { headers: { 'X-Mock-Control-Token': 'the-control-token' } })).status).toBe(200)
  })
})

describe('error bodies', () => {
  it('never repeat the token that was refused', async () => {
    const h = harness()
    const unknown = 'glpat-NoSuchToken00000001'
    const res = await h.get('/runners', { token: unknown })
    expectError(res, 401, { message: '401 Unauthorized' })
    const expired = await h.get('/runners', { token: TOKENS.expired })
    expect(expired.text).not.toContain(TOKENS.expired)
    const runner = await h.post('/runners/verify', { body: { token: 'NoSuchRunnerToken0001' } })
    expectError(runner, 403, { message: '403 Forbidden' })
    const registration = await h.post('/runners', { body: { token: 'NoSuchRegistration001' } })
    expect(registration.text).not.toContain('NoSuchRegistration001')
  })
})
