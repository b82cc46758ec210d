/**
 * @module ControlClient: the control API (`/-/mock`) of one world over fetch, with typed requests and
 * replies. The same client serves the in-process server, each world handle and the testcontainers
 * container. Imports types only, so the testcontainers entry stays free of Hono and the app.
 */
import type { StateDump } from '../seed/dump.js'
import type { Fixture, FixtureProblem } from '../seed/fixture-types.js'
import type { WellKnownTokens } from '../world.js'
import type { JournalEntry } from './journal-view.js'

export const CONTROL_PATH = '/-/mock'
export const CONTROL_HEADER = 'X-Mock-Control-Token'

/** The control API answered with an error status; `body` is its JSON reply when it had one. */
export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message)
    this.name = 'ControlApiError'
  }
}

// ---- the default fixture's names, so its tokens are typed by name --------------------------------

export const DEFAULT_FIXTURE_NAMES = {
  users: ['root', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank'],
  groups: ['acme', 'acme/backend', 'acme/frontend', 'opensource'],
  projects: ['acme/backend/api', 'acme/backend/worker', 'acme/frontend/web', 'opensource/tool', 'bob/sandbox', 'acme/legacy'],
  runners: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'],
} as const
type Names<K extends keyof typeof DEFAULT_FIXTURE_NAMES> = (typeof DEFAULT_FIXTURE_NAMES)[K][number]
type Named<K extends string> = Record<K, string> & Record<string, string>

/** The well-known tokens of the default fixture: every named user, group, project and runner is a typed key. */
export interface DefaultFixtureTokens extends WellKnownTokens {
  users: Named<Names<'users'>>
  registration: { instance: string; groups: Named<Names<'groups'>>; projects: Named<Names<'projects'>> }
  runners: Named<Names<'runners'>>
}

// ---- replies ------------------------------------------------------------------------------------

export interface ClockReply {
  now: string
  frozen: boolean
}
export interface WorldInfo {
  name: string
  /** `/` for the default world, `/-/worlds/<name>` for the others. */
  path: string
  created: string
  runners: number
  requests: number
  seed: number | string
  gitlab_version: string
}
export interface WorldOptionsInput {
  seed?: number | string
  fixture?: Fixture
  gitlab_version?: string
  /** Freeze the new world's clock at this instant; null for real time. */
  clock?: string | number | null
}
export type { JournalEntry }
export interface JournalReply {
  requests: JournalEntry[]
  dropped: number
  enabled: boolean
}
export interface JournalQuery {
  method?: string
  /** `*` matches anything, slashes included: `/api/v4/runners/*`. */
  path?: string
  endpoint?: string
  status?: number
  /** Only entries after this sequence number. */
  since?: number
  unmatched?: boolean
}
export interface VerifyInput {
  method?: string
  path?: string
  /** As the journal names it: `GET /api/v4/runners/:id`. */
  endpoint?: string
  body_contains?: string
  count?: number
  at_least?: number
  at_most?: number
}
export interface VerifyReply {
  ok: boolean
  count: number
  expected?: Record<string, number>
  near_misses?: JournalEntry[]
}
export type FaultInput = {
  method?: string
  path?: string
  endpoint?: string
  /** Fires only for a caller sending this token (header, query or body). */
  token?: string
  times?: number
  after?: number
  probability?: number
} & (
  | { respond: { status: number; body?: unknown; headers?: Record<string, string> } }
  | { delay_ms: number }
  | { preset: 'rate_limited'; retry_after?: number }
  | { preset: 'unavailable'; status?: 502 | 503 }
  | { preset: 'timeout'; hold_ms?: number }
  | { preset: 'reset' }
)
export type FaultReply = FaultInput & { id: number; matched: number; fired: number; remaining: number | null; times: number | null; after: number; probability: number }
export type RateLimitReply = { enabled: false } | { enabled: true; limit: number; period_seconds: number }
export interface RecordsReply {
  users: Array<{ id: number; username: string; tokens: string[] }>
  groups: Array<{ id: number; full_path: string; runners_token: string }>
  projects: Array<{ id: number; path_with_namespace: string; runners_token: string }>
  runners: Array<{ id: number; token: string }>
  jobs: Array<{ id: number; runner_id: number }>
}
export interface ContactInput {
  /** When the runner called (default now): an ISO instant or a fixture offset such as `-3h`. */
  at?: string
  version?: string
  revision?: string
  platform?: string
  architecture?: string
  ip_address?: string
  system_id?: string
}
export interface JobInput {
  status?: string
  /** Project id or full path (default: the runner's first project, else the first project). */
  project?: number | string
  ref?: string
  name?: string
  stage?: string
}
export interface InvalidFixtureBody {
  message: string
  problems: FixtureProblem[]
}

export interface ControlClientOptions {
  /** The world's base URL: `http://host:port` (default world) or `http://host:port/-/worlds/<name>`. */
  baseUrl: string
  controlToken?: string
  /** Per-call timeout (default 10 s). */
  timeoutMs?: number
}

/** Typed calls to one world's control API. Errors throw ControlApiError (verify() answers instead of throwing). */
export class ControlClient {
  readonly baseUrl: string
  readonly #token: string | undefined
  readonly #timeoutMs: number

  constructor(options: string | ControlClientOptions) {
    const o = typeof options === 'string' ? { baseUrl: options } : options
    this.baseUrl = o.baseUrl.replace(/\/+$/, '')
    this.#token = o.controlToken
    this.#timeoutMs = o.timeoutMs ?? 10_000
  }

  /** The server's origin (without a world prefix). */
  get origin(): string {
    return this.baseUrl.replace(/\/-\/worlds\/[^/]+$/, '')
  }

  /** The client of another world on the same server (created on its first request). */
  world(name: string): ControlClient {
    return new ControlClient({ baseUrl: name === 'default' ? this.origin : `${this.origin}/-/worlds/${name}`, controlToken: this.#token, timeoutMs: this.#timeoutMs })
  }

  async #call<T>(method: string, path: string, body?: unknown, accept: number[] = []): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.#token) headers[CONTROL_HEADER] = this.#token
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.baseUrl}${CONTROL_PATH}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    })
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = text
    }
    if (!response.ok && !accept.includes(response.status)) {
      const message = (parsed as { message?: unknown } | undefined)?.message
      throw new ControlApiError(response.status, `${method} ${CONTROL_PATH}${path} answered ${response.status}: ${typeof message === 'string' ? message : text}`, parsed)
    }
    return parsed as T
  }

  // ---- state --------------------------------------------------------------------------------

  /** Back to the initial state (fault rules removed too). */
  reset(): Promise<{ status: 'reset'; seed: number | string; clock: ClockReply }> {
    return this.#call('POST', '/reset')
  }
  reseed(options: { seed?: number | string; fixture?: Fixture; fixture_path?: string }): Promise<{ status: 'reseeded'; seed: number | string; runners: number }> {
    return this.#call('POST', '/reseed', options)
  }
  snapshot(name = 'default'): Promise<{ name: string }> {
    return this.#call('POST', '/snapshots', { name })
  }
  restore(name = 'default'): Promise<{ restored: string }> {
    return this.#call('POST', `/snapshots/${encodeURIComponent(name)}/restore`)
  }
  deleteSnapshot(name: string): Promise<void> {
    return this.#call('DELETE', `/snapshots/${encodeURIComponent(name)}`)
  }
  async snapshots(): Promise<string[]> {
    return (await this.#call<{ snapshots: string[] }>('GET', '/snapshots')).snapshots
  }
  state(): Promise<StateDump> {
    return this.#call('GET', '/state')
  }
  /** The well-known tokens as they are now (typed by name for the default fixture). */
  tokens<T extends WellKnownTokens = DefaultFixtureTokens>(): Promise<T> {
    return this.#call('GET', '/tokens')
  }
  health(): Promise<{ status: string }> {
    return this.#call('GET', '/health')
  }

  // ---- clock --------------------------------------------------------------------------------

  clock(): Promise<ClockReply> {
    return this.#call('GET', '/clock')
  }
  /** Set the clock; frozen there unless `frozen: false` (then it ticks on from that instant). */
  setClock(now: string | number | Date, options: { frozen?: boolean } = {}): Promise<ClockReply> {
    return this.#call('PUT', '/clock', { now: now instanceof Date ? now.toISOString() : now, frozen: options.frozen ?? true })
  }
  /** Freeze the clock now (or at an instant). */
  async freezeClock(at?: string | number | Date): Promise<ClockReply> {
    return this.setClock(at ?? (await this.clock()).now, { frozen: true })
  }
  /** Advance by a duration (`"2h"`, `"3d"`, `"4mo"`) or by milliseconds. */
  advanceClock(by: string | number): Promise<ClockReply> {
    return this.#call('POST', '/clock/advance', typeof by === 'number' ? { seconds: by / 1000 } : { duration: by })
  }
  /** Follow real time again. */
  realClock(): Promise<ClockReply> {
    return this.#call('POST', '/clock/real')
  }

  // ---- journal ------------------------------------------------------------------------------

  requests(query: JournalQuery = {}): Promise<JournalReply> {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v))
    const s = qs.toString()
    return this.#call('GET', `/requests${s ? `?${s}` : ''}`)
  }
  clearRequests(): Promise<void> {
    return this.#call('DELETE', '/requests')
  }
  /** Whether the journal holds requests matching the pattern (409 answers `ok: false`, not an error). */
  verify(pattern: VerifyInput): Promise<VerifyReply> {
    return this.#call('POST', '/requests/verify', pattern, [409])
  }
  /** verify(), throwing a readable error (with the near misses) when it does not hold. */
  async expectRequest(pattern: VerifyInput): Promise<number> {
    const reply = await this.verify(pattern)
    if (reply.ok) return reply.count
    const near = (reply.near_misses ?? []).map((r) => `    ${r.method} ${r.path} → ${r.status}${r.request_body ? ` ${r.request_body.slice(0, 120)}` : ''}`)
    throw new Error(
      `expected ${JSON.stringify(reply.expected)} request(s) matching ${JSON.stringify(pattern)}, found ${reply.count}${near.length ? `; nearest:\n${near.join('\n')}` : ''}`,
    )
  }

  // ---- faults and throttle ------------------------------------------------------------------

  addFault(rule: FaultInput): Promise<FaultReply> {
    return this.#call('POST', '/faults', rule)
  }
  async faults(): Promise<FaultReply[]> {
    return (await this.#call<{ faults: FaultReply[] }>('GET', '/faults')).faults
  }
  removeFault(id: number): Promise<void> {
    return this.#call('DELETE', `/faults/${id}`)
  }
  clearFaults(): Promise<void> {
    return this.#call('DELETE', '/faults')
  }
  rateLimit(): Promise<RateLimitReply> {
    return this.#call('GET', '/rate-limit')
  }
  /** GitLab's authenticated-API throttle for this world: `limit` requests per user per `periodSeconds`. */
  setRateLimit(limit: number, periodSeconds: number): Promise<RateLimitReply> {
    return this.#call('PUT', '/rate-limit', { limit, period_seconds: periodSeconds })
  }
  clearRateLimit(): Promise<void> {
    return this.#call('DELETE', '/rate-limit')
  }

  // ---- live records -------------------------------------------------------------------------

  /** Add records (the fixture format, referencing existing ones by id or path): all or nothing. */
  addRecords(records: Omit<Fixture, '$schema' | 'settings'>): Promise<RecordsReply> {
    return this.#call('POST', '/records', records)
  }
  /** A heartbeat from the runner now (or `at`), with what a runner reports. */
  contact(runnerId: number, input: ContactInput = {}): Promise<unknown> {
    return this.#call('POST', `/runners/${runnerId}/contact`, input)
  }
  /** A job on the runner, so a tool sees it busy. */
  addJob(runnerId: number, input: JobInput = {}): Promise<{ id: number; runner_id: number; status: string; project_id: number }> {
    return this.#call('POST', `/runners/${runnerId}/jobs`, input)
  }

  // ---- worlds (server-wide) -----------------------------------------------------------------

  async worlds(): Promise<WorldInfo[]> {
    return (await this.#call<{ worlds: WorldInfo[] }>('GET', '/worlds')).worlds
  }
  createWorld(name: string, options: WorldOptionsInput = {}): Promise<WorldInfo> {
    return this.#call('POST', '/worlds', { name, ...options })
  }
  deleteWorld(name: string): Promise<void> {
    return this.#call('DELETE', `/worlds/${encodeURIComponent(name)}`)
  }
}
