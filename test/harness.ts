/**
 * @module The in-process test harness every route test uses: a fresh app per harness, requests with
 * a token, and the response checks no test may forget (exact `application/json`, empty 204s, and the
 * strict schema of the route once schemas are registered in test/response-checks.ts).
 */
import { expect } from 'vitest'
import { createApp, type AppOptions, type MockApp } from '../src/app.js'
import { checkResponse } from './response-checks.js'

/** The default fixture's well-known personal access tokens, by role. */
export const TOKENS = {
  admin: 'glpat-AdminToken0000000001',
  adminReadOnly: 'glpat-AdminReadOnlyToken01',
  groupOwner: 'glpat-GroupOwnerToken00001',
  maintainer: 'glpat-MaintainerToken00001',
  maintainerReadOnly: 'glpat-ReadOnlyToken0000001',
  expired: 'glpat-ExpiredToken00000001',
  revoked: 'glpat-RevokedToken00000001',
  developer: 'glpat-DeveloperToken000001',
  reporter: 'glpat-ReporterToken0000001',
  outsider: 'glpat-PlainUserToken000001',
  groupMaintainer: 'glpat-GroupMaintToken00001',
} as const

export const REGISTRATION = {
  instance: 'InstanceRegToken0001',
  acmeGroup: 'GR1348941AcmeGroupRegToken001',
  apiProject: 'GR1348941ApiProjectRegToken01',
} as const

export const RUNNER_TOKENS = { shared1: 'SharedRunnerToken001', acmeGroup4: 'GroupRunnerToken0001', api6: 'ProjectRunnerToken01' } as const

/** A fixed instant for tests that compare times. */
export const FIXED_NOW = '2026-01-15T12:00:00.000Z'

export interface SendOptions {
  token?: string
  /** JSON body (object) or a raw string with its own content type. */
  body?: unknown
  form?: Record<string, string | string[]>
  query?: Record<string, string | number | boolean | Array<string | number>>
  rawQuery?: string
  headers?: Record<string, string>
  /** The answer comes from a fault rule, the throttle or the world limit, not from a route: the route's contract does not apply (the test checks it). */
  injected?: boolean
}

export interface TestResponse {
  status: number
  headers: Headers
  text: string
  body: any
}

export interface Harness {
  app: MockApp
  request(method: string, path: string, options?: SendOptions): Promise<TestResponse>
  get(path: string, options?: SendOptions): Promise<TestResponse>
  post(path: string, options?: SendOptions): Promise<TestResponse>
  put(path: string, options?: SendOptions): Promise<TestResponse>
  del(path: string, options?: SendOptions): Promise<TestResponse>
}

function buildQuery(options: SendOptions): string {
  if (options.rawQuery !== undefined) return options.rawQuery ? `?${options.rawQuery}` : ''
  if (!options.query) return ''
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(options.query)) {
    if (Array.isArray(v)) for (const item of v) qs.append(k, String(item))
    else qs.append(k, String(v))
  }
  const s = qs.toString()
  return s ? `?${s}` : ''
}

/** The version the existing suite was written against; version-specific tests pass `gitlabVersion`. */
export const HARNESS_GITLAB_VERSION = '15.11'

/** A fresh in-process app (default fixture, fixed clock and GitLab 15.11 unless told otherwise). */
export function harness(options: AppOptions = {}): Harness {
  const app = createApp({ clock: FIXED_NOW, gitlabVersion: options.world ? undefined : HARNESS_GITLAB_VERSION, ...options })
  const request = async (method: string, path: string, options: SendOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) }
    if (options.token) headers['PRIVATE-TOKEN'] = options.token
    let body: string | undefined
    if (options.form) {
      const form = new URLSearchParams()
      for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) form.append(k, item)
      body = form.toString()
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded'
    } else if (typeof options.body === 'string') {
      body = options.body
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['Content-Type'] ??= 'application/json'
    }
    const url = `http://gitlab.test${path.startsWith('/api') || path.startsWith('/-') || path.startsWith('//') ? '' : '/api/v4'}${path}${buildQuery(options)}`
    const res = await app.request(url, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = undefined
    if (text !== '') {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = undefined
      }
    }
    const response = { status: res.status, headers: res.headers, text, body: parsed }
    // The strict schemas of the version this world emulates (it may change on a reseed); answers a fault or the world limit made have no route contract.
    if (!options.injected) checkResponse(method, path, response, app.world.profile.version)
    return response
  }
  return {
    app,
    request,
    get: (p, o) => request('GET', p, o),
    post: (p, o) => request('POST', p, o),
    put: (p, o) => request('PUT', p, o),
    del: (p, o) => request('DELETE', p, o),
  }
}

/** Assert a GitLab error: status and exact body. */
export function expectError(res: TestResponse, status: number, body: unknown): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body })
}
