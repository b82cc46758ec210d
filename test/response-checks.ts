/**
 * @module Checks every response a test receives: JSON bodies carry exactly `Content-Type:
 * application/json`, a 204 has no body, and (issue #5) each success body matches the strict schema
 * of its route. Route schemas are registered here so no test can forget them.
 */
import { expect } from 'vitest'
import { checkRouteResponse, formatVerdict } from '../src/validation/routes.js'

export interface CheckedResponse {
  status: number
  headers: Headers
  text: string
  body: unknown
}

/** Route-specific strict checks, registered by the schema layer: (method, path, response) → void (throw to fail). */
const routeCheckers: Array<(method: string, path: string, res: CheckedResponse) => void> = []

export function registerRouteChecker(checker: (method: string, path: string, res: CheckedResponse) => void): void {
  routeCheckers.push(checker)
}

export function checkResponse(method: string, path: string, res: CheckedResponse): void {
  if (res.status === 204) {
    expect(res.text, `${method} ${path}: a 204 has no body`).toBe('')
    return
  }
  const type = res.headers.get('content-type')
  if (path === '/-/health' || path.endsWith('/-/health')) {
    expect(type).toMatch(/^text\/plain/)
    return
  }
  expect(type, `${method} ${path}: Content-Type`).toBe('application/json')
  expect(res.body, `${method} ${path}: body is JSON`).not.toBeUndefined()
  for (const checker of routeCheckers) checker(method, path, res)
}

/** The strict schema of every Runners API route (src/validation/routes.ts): status documented, body exact. */
registerRouteChecker((method, path, res) => {
  const verdict = checkRouteResponse(method, path, res.status, res.body, 'strict')
  if (!verdict.ok) throw new Error(`response does not match its strict schema:\n  ${formatVerdict(method, path, res.status, verdict).join('\n  ')}`)
})
