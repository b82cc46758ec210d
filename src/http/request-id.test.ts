import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { requestId } from './request-id.js'

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
})
