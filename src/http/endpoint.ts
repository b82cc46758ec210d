/**
 * @module What one entry of the endpoint table declares (method, path, parameters, authentication,
 * contract, GitLab version range, handler) and how entries become Hono routes: registered in table
 * order, each behind a version gate that falls through to the next matching route when the world's
 * GitLab version does not have the endpoint, ending in GitLab's 404.
 */
import type { Context, Handler, Hono } from 'hono'
import { inVersionRange, type GitLabVersion } from '../domain/gitlab-version.js'
import type { SchemaName } from '../validation/schemas.js'
import { authenticatorFor, type EndpointAuth } from './auth.js'
import type { AppEnv } from './env.js'
import { answerKey, keepAnswer, keepWrittenAnswer, keptAnswer } from './kept-answers.js'
import { hasNoBody, parseParams, queryParams, readParams, type GroupRules, type Parsed, type RawParams, type Specs } from './params.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** The success reply of an endpoint: a status and its body (a schema, a list of it, or no body). */
export interface SuccessReply {
  status: number
  schema: SchemaName | null
  array?: boolean
  /** GET /projects answers BasicProjectDetails to anonymous callers and with `simple=true`. */
  anonymousOrSimple?: SchemaName
}

/** What a handler receives besides the context: the typed parameters, the raw ones (for Link headers) and what `before` found. */
export interface EndpointInput<S extends Specs, B> {
  params: Parsed<S>
  raw: RawParams
  before: B
}

/** An entry as written in the table; `defineEndpoint` checks its types and turns it into an Endpoint. */
export interface EndpointDefinition<S extends Specs, B> {
  method: HttpMethod
  /** Hono path under /api/v4, e.g. `/runners/:id`. */
  path: string
  auth: EndpointAuth
  /** Parameters in Grape's declaration order (its combined messages follow it); `in: 'path'` ones come from the path. */
  params?: S
  rules?: GroupRules
  /**
   * Runs after authentication and before the parameters are validated, as Grape's `before` blocks do
   * (e.g. find the project and check the caller's role); its result reaches the handler as `before`.
   */
  before?: (c: Context<AppEnv>) => B
  /** The documented success reply; omitted for endpoints without a response contract (their error bodies are still checked). */
  success?: SuccessReply
  /** Error statuses the endpoint documents (bodies follow schemas/error.schema.json). */
  errors?: readonly number[]
  /** First GitLab version that has the endpoint (default: every emulated version). */
  since?: GitLabVersion
  /** First GitLab version that no longer has it. */
  until?: GitLabVersion
  /**
   * GET only: the answer may be kept and given again to the same request while it holds (src/http/kept-answers.ts);
   * the handler names until when with answerValidUntil, else nothing is kept.
   */
  keepAnswers?: true
  /**
   * A write whose successful answer is what a GET of the same URL by the same caller gives next: that answer is
   * kept for the read (kept-answers.ts keepWrittenAnswer); the handler names until when with answerValidUntil.
   */
  keepsReadAnswer?: true
  handle: (c: Context<AppEnv>, input: EndpointInput<S, B>) => Response | Promise<Response>
}

/** One operation of the URL surface, type-erased so the table can hold them all. */
export interface Endpoint {
  /** Stable name, `METHOD /path` as documented: `GET /runners/:id`. */
  readonly name: string
  readonly method: HttpMethod
  readonly path: string
  readonly auth: EndpointAuth
  readonly params: Specs
  readonly rules: GroupRules
  readonly success: SuccessReply | undefined
  readonly errors: readonly number[]
  readonly since: GitLabVersion | undefined
  readonly until: GitLabVersion | undefined
  /** Authentication, `before`, parameters, then the handler. */
  readonly run: (c: Context<AppEnv>) => Response | Promise<Response>
}

const NO_SPECS: Specs = {}
const NO_RULES: GroupRules = {}
const NO_PARAMS = Object.freeze({})
const PARSED_CACHE_SIZE = 256

export function defineEndpoint<const S extends Specs = Record<never, never>, B = undefined>(definition: EndpointDefinition<S, B>): Endpoint {
  const { method, path, before } = definition
  // A write whose answer a read of its URL gives next keeps it for that read, as soon as the handler answers.
  const handle = definition.keepsReadAnswer === true && method !== 'GET' ? keepingForRead(definition.handle) : definition.handle
  const specs: Specs = definition.params ?? NO_SPECS
  const rules = definition.rules ?? NO_RULES
  const hasParams = Object.keys(specs).length > 0 || rules !== NO_RULES
  const authenticate = authenticatorFor(definition.auth)

  const withParams = (c: Context<AppEnv>, raw: RawParams, url?: string): Response | Promise<Response> => {
    const found = before ? before(c) : (undefined as B)
    const params = (hasParams ? parseParams(raw, specs, rules, (name) => c.req.param(name), c.get('world').profile.version) : NO_PARAMS) as Parsed<S>
    if (url !== undefined) remember(url, raw, params)
    return handle(c, { params, raw, before: found })
  }
  // A GET's parameters are a pure function of its URL (query and path): the last few hundred URLs that
  // parsed cleanly keep their raw and typed parameters (frozen: handlers only read them).
  const parsed = new Map<string, { raw: RawParams; params: Parsed<S> }>()
  const remember = (url: string, raw: RawParams, params: Parsed<S>) => {
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.clear()
    parsed.set(url, { raw: Object.freeze(raw), params: Object.freeze(params) as Parsed<S> })
  }
  /** A GET's cache key: its URL under the world's GitLab version (parameters declared `since` a version parse by it). */
  const keyOf = (c: Context<AppEnv>) => `${c.get('world').profile.version}\n${c.req.url}`
  const afterAuthentication = (c: Context<AppEnv>, key: string | undefined, hit: { raw: RawParams; params: Parsed<S> } | undefined) => {
    if (hit !== undefined) {
      const found = before ? before(c) : (undefined as B)
      return handle(c, { params: hit.params, raw: hit.raw, before: found })
    }
    if (key !== undefined) return withParams(c, queryParams(c), key)
    // Parameters already read (authentication reads a body's) are used at once, without waiting a turn.
    const ready = c.get('params') as RawParams | undefined
    if (ready !== undefined) return withParams(c, ready)
    return hasNoBody(c) ? withParams(c, queryParams(c)) : readParams(c).then((raw) => withParams(c, raw))
  }

  const answer = (c: Context<AppEnv>): Response | Promise<Response> => {
    // A GET seen before has its parameters ready before authentication (which reads token parameters from them).
    const key = c.req.method === 'GET' ? keyOf(c) : undefined
    const hit = key === undefined ? undefined : parsed.get(key)
    if (hit !== undefined) c.set('params', hit.raw)
    const pending = authenticate(c)
    return pending ? pending.then(() => afterAuthentication(c, key, hit)) : afterAuthentication(c, key, hit)
  }
  const keepAnswers = definition.keepAnswers === true && method === 'GET'

  return {
    name: `${method} ${path}`,
    method,
    path,
    auth: definition.auth,
    params: specs,
    rules,
    success: definition.success,
    errors: definition.errors ?? [],
    since: definition.since,
    until: definition.until,
    run: keepAnswers ? (c) => runKept(c, answer) : answer,
  }
}

/** The answer kept for this request if it still holds; else the endpoint's answer, kept when its handler says how long it holds. */
function runKept(c: Context<AppEnv>, answer: (c: Context<AppEnv>) => Response | Promise<Response>): Response | Promise<Response> {
  const store = c.get('world').store
  const key = answerKey(c, store)
  const kept = keptAnswer(c, store, key)
  if (kept !== undefined) return kept
  const from = store.now()
  const writes = store.writeCount
  const out = answer(c)
  if (out instanceof Promise)
    return out.then((res) => {
      keepAnswer(c, store, key, res, from, writes)
      return res
    })
  keepAnswer(c, store, key, out, from, writes)
  return out
}

/** The write's handler, its answer kept for the read of the same URL (when the handler said how long it holds). */
function keepingForRead<I>(handle: (c: Context<AppEnv>, input: I) => Response | Promise<Response>): (c: Context<AppEnv>, input: I) => Response | Promise<Response> {
  const keep = (c: Context<AppEnv>, res: Response) => {
    keepWrittenAnswer(c, c.get('world').store, res)
    return res
  }
  return (c, input) => {
    const out = handle(c, input)
    return out instanceof Promise ? out.then((res) => keep(c, res)) : keep(c, out)
  }
}

/** True when the endpoint exists in the GitLab version the request's world emulates. */
export function isAvailable(endpoint: Endpoint, c: Context<AppEnv>): boolean {
  return inVersionRange(c.get('world').profile.version, endpoint.since, endpoint.until)
}

/**
 * Register every entry, in order, under `prefix`. An entry with a version range is gated: outside
 * its range it calls `next()`, so the request reaches the next matching entry (e.g. `/runners/:id`)
 * or, when none is left, the app's not-found handler (GitLab's `404 Not Found`), as if the route did not exist.
 * `wrap` puts what every route needs in front of each handler (the world middleware's route form).
 */
export function mountEndpoints(app: Hono<AppEnv>, prefix: string, endpoints: readonly Endpoint[], wrap: (handler: Handler<AppEnv>) => Handler<AppEnv> = (h) => h): void {
  for (const endpoint of endpoints) {
    const gated = isGated(endpoint)
    const handler: Handler<AppEnv> = wrap(gated ? (c, next) => (isAvailable(endpoint, c) ? endpoint.run(c) : next()) : (c) => endpoint.run(c))
    MOUNTED.set(handler, { endpoint, path: `${prefix}${endpoint.path}` })
    app.on(endpoint.method, `${prefix}${routePattern(endpoint, endpoints)}`, handler)
  }
}

const isGated = (endpoint: Endpoint): boolean => endpoint.since !== undefined || endpoint.until !== undefined

/**
 * The pattern an entry is mounted at: its path, where a parameter never takes the name of a sibling of the same
 * method that every version has (`GET /runners/:id` does not match `/runners/all`). A request then matches one
 * route, which Hono runs without composing a chain; the sibling, registered first, answered it anyway. A sibling
 * some version lacks leaves the parameter open: there the request passes on to the parameter route, as in GitLab.
 */
export function routePattern(endpoint: Endpoint, endpoints: readonly Endpoint[]): string {
  const segments = endpoint.path.split('/')
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(':')) return segment
      const names = endpoints
        .filter((other) => other.method === endpoint.method && !isGated(other))
        .map((other) => other.path.split('/'))
        .filter((other) => other.length === segments.length && other.every((part, j) => (j === i ? !part.startsWith(':') : part === segments[j])))
        .map((other) => other[i] as string)
      // Hono's trie matches a pattern against the rest of the path: the name ends at a slash or at the end.
      return names.length === 0 ? segment : `${segment}{(?!(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:/|$))[^/]+}`
    })
    .join('/')
}

const MOUNTED = new WeakMap<object, { endpoint: Endpoint; path: string }>()

/** The table entry a mounted handler serves (the request journal and fault rules name requests by it). */
export function endpointOfHandler(handler: object): Endpoint | undefined {
  return MOUNTED.get(handler)?.endpoint
}

/**
 * A registered route's path as declared (`/api/v4/runners/:id`), not the pattern an entry may be mounted at
 * (routePattern): how the journal, fault rules and the OpenAPI document name a route.
 */
export function declaredPath(route: { path: string; handler: unknown }): string {
  return (typeof route.handler === 'function' ? MOUNTED.get(route.handler)?.path : undefined) ?? route.path
}
