/**
 * @module Checks every response a test receives: JSON bodies carry exactly `Content-Type:
 * application/json`, a 204 has no body, and (issue #5) each success body matches the strict schema
 * of its route. Every test request goes through here, so no test can forget it.
 */
import { expect } from 'vitest'
import type { GitLabVersion } from '../src/domain/gitlab-version.js'
import { checkRouteResponse, formatVerdict } from '../src/validation/routes.js'

export interface CheckedResponse {
  status: number
  headers: Headers
  text: string
  body: unknown
}

/** `version`: the GitLab version the answering world emulates (its schemas differ by version). */
export function checkResponse(method: string, path: string, res: CheckedResponse, version?: GitLabVersion): void {
  const type = res.headers.get('content-type')
  if (path === '/-/health' || path.endsWith('/-/health')) {
    expect(type).toMatch(/^text\/plain/)
    return
  }
  if (res.status === 204) {
    expect(res.text, `${method} ${path}: a 204 has no body`).toBe('')
  } else {
    expect(type, `${method} ${path}: Content-Type`).toBe('application/json')
    expect(res.body, `${method} ${path}: body is JSON`).not.toBeUndefined()
  }
  // The strict schema of the route (src/validation/routes.ts): status documented, body exact.
  const verdict = checkRouteResponse(method, path, res.status, res.body, 'strict', version)
  if (!verdict.ok) throw new Error(`response does not match its strict schema:\n  ${formatVerdict(method, path, res.status, verdict).join('\n  ')}`)
}
