import { describe, expect, it } from 'vitest'
import docExamples from './doc-examples.json' with { type: 'json' }
import { DOC_EXTRA_FIELDS, DOC_QUIRKS, quirkMatches } from './doc-quirks.js'
import { checkRouteResponse, findRouteContract, formatVerdict } from './routes.js'
import { formatProblem, jsonPath, lenientSchema, validateBody } from './schemas.js'

const runner = {
  id: 6,
  description: 'api-runner',
  ip_address: '10.0.2.6',
  active: true,
  paused: false,
  is_shared: false,
  runner_type: 'project_type',
  name: 'gitlab-runner',
  online: true,
  status: 'online',
}

const lines = (name: Parameters<typeof validateBody>[0], data: unknown, mode: 'strict' | 'lenient', array = false) =>
  validateBody(name, data, mode, { array }).problems.map(formatProblem)

describe('the documentation\'s example responses (lenient mode)', () => {
  for (const example of docExamples.examples) {
    it(`${example.method} ${example.path} (${example.section}) passes apart from its listed quirks`, () => {
      const verdict = checkRouteResponse(example.method, example.path, example.status, example.body, 'lenient')
      const unexplained = verdict.problems.filter((p) => !DOC_QUIRKS.some((q) => quirkMatches(q, example.section, p.path)))
      expect(unexplained.map(formatProblem)).toEqual([])
      const extras = verdict.extras.filter((e) => !DOC_EXTRA_FIELDS.some((q) => quirkMatches(q, example.section, e.path)))
      expect(extras).toEqual([])
    })
  }

  it('lists no quirk that the examples do not show (each one matches a real problem)', () => {
    const stale = [...DOC_QUIRKS, ...DOC_EXTRA_FIELDS].filter((quirk) => {
      const example = docExamples.examples.find((e) => e.section === quirk.section)
      if (!example) return true
      const verdict = checkRouteResponse(example.method, example.path, example.status, example.body, 'lenient')
      return ![...verdict.problems, ...verdict.extras].some((p) => quirkMatches(quirk, quirk.section, p.path))
    })
    expect(stale).toEqual([])
  })

  it('reports the jobs example\'s undocumented ip_address as an extra field instead of failing on it', () => {
    const jobs = docExamples.examples.find((e) => e.path === '/runners/1/jobs')!
    const verdict = checkRouteResponse('GET', jobs.path, 200, jobs.body, 'lenient')
    expect(verdict.extras).toEqual([{ path: '$[0].ip_address', value: '127.0.0.1' }])
    expect(verdict.problems.some((p) => p.path === '$[0].ip_address')).toBe(false)
  })

  it('fails the same jobs example in strict mode on the extra field', () => {
    const jobs = docExamples.examples.find((e) => e.path === '/runners/1/jobs')!
    expect(lines('runner-job', jobs.body, 'strict', true)).toContain('$[0].ip_address: is not documented for this response (got "127.0.0.1")')
  })
})

describe('broken responses fail with the JSON path and the offending value', () => {
  it('names a missing field', () => {
    const { paused: _paused, ...broken } = runner
    expect(lines('runner', [runner, broken], 'strict', true)).toEqual(['$[1].paused: is missing (a documented field)'])
    expect(lines('runner', [runner, broken], 'lenient', true)).toEqual(['$[1].paused: is missing (a documented field)'])
  })

  it('names a wrong type with the value it got', () => {
    expect(lines('runner', { ...runner, online: 'yes' }, 'lenient')).toEqual(['$.online: must be boolean or null (got "yes")'])
    expect(lines('runner', { ...runner, id: '6' }, 'strict')).toEqual(['$.id: must be integer (got "6")'])
  })

  it('names a wrong status code', () => {
    const verdict = checkRouteResponse('POST', '/runners/reset_registration_token', 200, { token: 'x' }, 'lenient')
    expect(formatVerdict('POST', '/runners/reset_registration_token', 200, verdict)).toEqual([
      'POST /runners/reset_registration_token 200: status: 200 is not documented for POST /runners/reset_registration_token (documented: 201, 400, 401, 403, 404, 413) (got 200)',
    ])
  })

  it('names a value outside an enum, a bad format and a broken cross-field rule', () => {
    expect(lines('runner', { ...runner, runner_type: 'shared', ip_address: 'localhost' }, 'strict')).toEqual([
      '$.ip_address: must be an IPv4 or an IPv6 address (got "localhost")',
      '$.runner_type: must be one of "instance_type", "group_type", "project_type" (got "shared")',
    ])
    expect(lines('runner', { ...runner, paused: true }, 'strict')).toEqual([
      '$.paused: must be false (got true) [rule: paused is always the negation of active]',
    ])
  })

  it('names a success body on a 204 and a broken error body', () => {
    expect(checkRouteResponse('DELETE', '/runners/6', 204, { id: 6 }).problems).toEqual([{ path: '$', message: 'a 204 has no body', value: { id: 6 } }])
    expect(checkRouteResponse('GET', '/runners/6', 404, { message: 404 }).problems.map(formatProblem)).toEqual(['$.message: must be string or object (got 404)'])
  })

  it('wants failure_reason exactly on failed jobs', () => {
    const jobs = docExamples.examples.find((e) => e.path === '/runners/1/jobs')!
    const job = { ...(jobs.body as Array<Record<string, unknown>>)[0], status: 'success', failure_reason: 'script_failure' }
    expect(lines('runner-job', job, 'lenient')).toContain(
      '$.failure_reason: must be absent (got "script_failure") [rule: failure_reason is present exactly when the job failed]',
    )
    expect(lines('runner-job', { ...job, status: 'failed', failure_reason: undefined }, 'lenient')).toContain(
      '$.failure_reason: is missing (a documented field) [rule: failure_reason is present exactly when the job failed]',
    )
  })
})

describe('strict and lenient modes', () => {
  it('fails an undocumented field in strict mode and only reports it in lenient mode', () => {
    const body = { ...runner, created_at: '2024-01-01T00:00:00.000Z' }
    expect(lines('runner', body, 'strict')).toEqual(['$.created_at: is not documented for this response (got "2024-01-01T00:00:00.000Z")'])
    expect(validateBody('runner', body, 'lenient')).toEqual({ valid: true, problems: [], extras: [{ path: '$.created_at', value: '2024-01-01T00:00:00.000Z' }] })
  })

  it('requires version-dependent fields (pipeline iid, erased_at) in strict mode only', () => {
    const lenient = lenientSchema({ type: 'object', properties: { a: {}, b: {} }, required: ['a', 'b'], 'x-lenient-optional': ['b'], additionalProperties: false })
    expect(lenient).toEqual({ type: 'object', properties: { a: {}, b: {} }, required: ['a'], 'x-lenient-optional': ['b'], 'x-extra-properties': ['a', 'b'] })
  })

  it('accepts every documented error body shape and refuses a mixed one', () => {
    for (const body of [
      { message: '404 Not found' },
      { message: { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] } },
      { error: 'id is invalid' },
      { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' },
      { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' },
    ])
      expect(validateBody('error', body, 'strict').problems).toEqual([])
    expect(lines('error', { error: 'insufficient_scope', error_description: 'x' }, 'strict')).toEqual(['$.scope: is missing (a documented field)'])
    expect(lines('error', { message: '403 Forbidden', error: 'x' }, 'strict')).toEqual(['$.error: is not documented for this response (got "x")'])
  })

  it('accepts null user, commit and ip_address where documented', () => {
    expect(lines('runner', { ...runner, ip_address: null, online: null, status: 'never_contacted' }, 'strict')).toEqual([])
    expect(lines('runner', { ...runner, ip_address: '2001:db8::1' }, 'strict')).toEqual([])
    expect(lines('runner', { ...runner, online: true, status: 'never_contacted' }, 'strict')).toEqual([
      '$.online: must be null (got true) [rule: status never_contacted means online null]',
    ])
  })
})

describe('route contracts', () => {
  it('maps static paths before :id paths and URL-encoded project paths to their endpoint', () => {
    expect(findRouteContract('GET', '/runners/all')?.endpoint).toBe('GET /runners/all')
    expect(findRouteContract('POST', '/api/v4/runners/reset_registration_token')?.endpoint).toBe('POST /runners/reset_registration_token')
    expect(findRouteContract('GET', '/api/v4/projects/acme%2Fbackend%2Fapi/runners?per_page=1')?.endpoint).toBe('GET /projects/:id/runners')
    expect(findRouteContract('DELETE', '/projects/100/runners/7')?.endpoint).toBe('DELETE /projects/:id/runners/:runner_id')
    expect(findRouteContract('GET', '/-/mock/state')).toBeUndefined()
  })

  it('checks error bodies of API paths outside the Runners API but not their success bodies', () => {
    expect(checkRouteResponse('GET', '/version', 200, { anything: true }).ok).toBe(true)
    expect(checkRouteResponse('GET', '/users/1', 200, { anything: true }).ok).toBe(false)
    expect(checkRouteResponse('GET', '/nope', 404, { error: '404 Not Found' }).ok).toBe(true)
    expect(checkRouteResponse('GET', '/nope', 404, '<html>').problems.map(formatProblem)).toEqual(['$: must be object (got "<html>")'])
  })

  it('renders JSON pointers as JSON paths', () => {
    expect(jsonPath('')).toBe('$')
    expect(jsonPath('/0/projects/1/namespace')).toBe('$[0].projects[1].namespace')
    expect(jsonPath('/message/runner_projects.base')).toBe('$.message["runner_projects.base"]')
  })
})

describe('schemas per GitLab version', () => {
  const item15 = { id: 1, description: null, ip_address: '10.0.0.1', active: true, paused: false, is_shared: true, runner_type: 'instance_type', name: null, online: null, status: 'never_contacted' }
  const item18 = { ...item15, ip_address: null, created_at: '2026-01-01T00:00:00.000Z', job_execution_status: 'idle' }

  it('a field outside its x-since range is undocumented, inside it is required', async () => {
    const { validateBody, formatProblem } = await import('./schemas.js')
    expect(validateBody('runner', item15, 'strict', { version: '15.11' }).valid).toBe(true)
    expect(validateBody('runner', item18, 'strict', { version: '15.11' }).problems.map(formatProblem)).toContain('$.created_at: is not documented for this response (got "2026-01-01T00:00:00.000Z")')
    expect(validateBody('runner', item15, 'strict', { version: '18.11' }).problems.map(formatProblem)).toContain('$.created_at: is missing (a documented field)')
    expect(validateBody('runner', item18, 'strict', { version: '18.11' }).valid).toBe(true)
  })

  it('x-null-since: ip_address must be null from 17.0; x-optional: created_by may be absent', async () => {
    const { validateBody } = await import('./schemas.js')
    expect(validateBody('runner', { ...item15, ip_address: '10.0.0.1' }, 'strict', { version: '17.0' }).valid).toBe(false)
    expect(validateBody('runner', { ...item15, ip_address: null }, 'strict', { version: '17.0' }).valid).toBe(true)
    const creator = { id: 4, username: 'carol', name: 'Carol', state: 'active', avatar_url: null, web_url: 'http://x/carol' }
    expect(validateBody('runner', { ...item18, created_by: creator }, 'strict', { version: '18.0' }).valid).toBe(true)
  })
})
