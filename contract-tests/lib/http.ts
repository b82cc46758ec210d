/** @module The suite's HTTP client: real requests with fetch, every response judged against the route's schema in the target's mode. */
import { expect } from 'vitest'
import type { GitLabVersion } from '../../src/domain/gitlab-version.js'
import { checkRouteResponse, formatVerdict } from '../../src/validation/routes.js'
import type { ExtraField, SchemaMode, SchemaProblem } from '../../src/validation/schemas.js'

export interface RequestOptions {
  token?: string
  query?: Record<string, string | number | boolean | string[]>
  /** Sent as JSON. */
  json?: unknown
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | string[]>
  headers?: Record<string, string>
}

export interface ContractResponse {
  method: string
  path: string
  status: number
  headers: Headers
  text: string
  body: any
}

/** What the checks saw during one scenario (the report shows schema problems and extra fields). */
export interface Observations {
  problems: Array<{ endpoint: string; status: number; problem: SchemaProblem; line: string }>
  extras: Array<{ endpoint: string; status: number; extra: ExtraField }>
}

export class SchemaFailure extends Error {
  constructor(readonly lines: string[]) {
    super(`response does not match its schema:\n  ${lines.join('\n  ')}`)
    this.name = 'SchemaFailure'
  }
}

export class ContractClient {
  observations: Observations = { problems: [], extras: [] }

  constructor(
    readonly baseUrl: string,
    readonly mode: SchemaMode,
    /** The schemas of this GitLab version judge the bodies. */
    readonly version?: GitLabVersion,
  ) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ContractResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) }
    if (options.token) headers['PRIVATE-TOKEN'] = options.token
    let body: string | undefined
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers['Content-Type'] = 'application/json'
    } else if (options.form) {
      const form = new URLSearchParams()
      for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) form.append(k, item)
      body = form.toString()
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
    }
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(options.query ?? {})) for (const item of [v].flat()) qs.append(k, String(item))
    const query = qs.toString()
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v4${path}${query ? `?${query}` : ''}`
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(60_000) })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = text
    }
    return { method, path, status: res.status, headers: res.headers, text, body: parsed }
  }

  get = (path: string, o?: RequestOptions) => this.request('GET', path, o)
  post = (path: string, o?: RequestOptions) => this.request('POST', path, o)
  put = (path: string, o?: RequestOptions) => this.request('PUT', path, o)
  del = (path: string, o?: RequestOptions) => this.request('DELETE', path, o)

  /** Assert the status, then the body against the route's schema (strict or lenient); returns the body. */
  expectStatus(res: ContractResponse, status: number): any {
    expect(res.status, `${res.method} ${res.path}: status (body ${res.text.slice(0, 300)})`).toBe(status)
    const verdict = checkRouteResponse(res.method, res.path, res.status, res.body, this.mode, this.version)
    const endpoint = verdict.endpoint ?? `${res.method} ${res.path}`
    for (const extra of verdict.extras) this.observations.extras.push({ endpoint, status: res.status, extra })
    if (!verdict.ok) {
      const lines = formatVerdict(res.method, res.path, res.status, verdict)
      verdict.problems.forEach((problem, i) => this.observations.problems.push({ endpoint, status: res.status, problem, line: lines[i] ?? '' }))
      throw new SchemaFailure(lines)
    }
    return res.body
  }

  /** Assert a GitLab error: status, schema, exact body. */
  expectError(res: ContractResponse, status: number, body: unknown): void {
    this.expectStatus(res, status)
    expect(res.body, `${res.method} ${res.path}: error body`).toEqual(body)
  }
}
