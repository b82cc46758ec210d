/** @module Request parameters as Grape receives them: the query merged with a JSON, form or multipart body (Rack-style nested keys), then coerced and validated with Grape's messages. */
import { inVersionRange, type GitLabVersion } from '../domain/gitlab-version.js'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.js'
import { ParamError, PayloadTooLargeError } from '../domain/errors.js'

export type RawParams = Record<string, unknown>

/** Set a Rack-style key (`a`, `a[]`, `a[b]`, `a[b][]`) into a nested object; a plain repeated key keeps the last value, as Rack does. */
export function setRackParam(target: RawParams, key: string, value: unknown): void {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key)
  if (!match) {
    if (key !== '__proto__') target[key] = value
    return
  }
  const parts = [match[1] as string, ...[...(match[2] as string).matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] as string)]
  // Keys nested deeper than Rack's param_depth_limit (100) name no GitLab parameter: ignored, as Grape ignores
  // undeclared ones (Rack itself refuses them). `__proto__` would reach Object.prototype: ignored too.
  if (parts.length > MAX_PARAM_DEPTH || parts.includes('__proto__')) return
  let node: RawParams = target
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string
    const last = i === parts.length - 1
    const nextIsArray = parts[i + 1] === ''
    if (part === '') return // `a[][b]` forms are not used by any client; ignore them rather than guess
    if (last) {
      node[part] = value
    } else if (nextIsArray && i + 1 === parts.length - 1) {
      const current = node[part]
      node[part] = Array.isArray(current) ? [...current, value] : [value]
      return
    } else {
      // Stryker disable next-line ConditionalExpression: inherited members of a plain object are functions, replaced all the same
      const current = Object.hasOwn(node, part) ? node[part] : undefined
      if (current === null || typeof current !== 'object' || Array.isArray(current)) node[part] = {}
      node = node[part] as RawParams
    }
  }
}

/** Rack's param_depth_limit. */
export const MAX_PARAM_DEPTH = 100

/** Own keys of a parsed JSON object onto `target`; a `__proto__` key is dropped, never followed. */
function assignOwn(target: RawParams, source: RawParams): void {
  for (const key of Object.keys(source)) if (key !== '__proto__') target[key] = source[key]
}

export function parseRackQuery(entries: Iterable<[string, unknown]>): RawParams {
  const out: RawParams = {}
  for (const [key, value] of entries) setRackParam(out, key, value)
  return out
}

/** The body's bytes (multipart bodies), held to `limit`. */
async function readBody(c: Context<AppEnv>, limit: number): Promise<Buffer> {
  // A declared length within the limit bounds the body (the HTTP parser stops there): read it in one go, which
  // @hono/node-server serves straight from the socket instead of building a web Request and stream per request.
  // Stryker disable next-line ConditionalExpression: a fast path; the loop below reads the same bytes
  if (withinLimit(c, limit)) return Buffer.from(await c.req.raw.arrayBuffer())
  return readBodyStream(c, limit)
}

/**
 * The body as text (UTF-8, as Rack reads it). Within a declared length it is decoded straight from the bytes
 * the adapter read (`text()`), without the copy into a new ArrayBuffer that `arrayBuffer()` makes.
 */
function readBodyText(c: Context<AppEnv>, limit: number): Promise<string> {
  // Not `async`: an async function returning the adapter's promise would add two turns of the microtask queue.
  // Stryker disable next-line ConditionalExpression: a fast path; the stream gives the same text
  if (withinLimit(c, limit)) return c.req.raw.text()
  return readBodyStream(c, limit).then((bytes) => UTF8.decode(bytes))
}

/** WHATWG's UTF-8 decode, as `text()` does: a leading byte order mark is dropped, bad sequences become U+FFFD. */
const UTF8 = new TextDecoder()

// Stryker disable next-line BlockStatement: a fast path; the stream reads the same bytes
function withinLimit(c: Context<AppEnv>, limit: number): boolean {
  const declared = c.req.header('content-length')
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,StringLiteral: a fast path; the stream reads the same bytes
  return declared !== undefined && declared !== '' && Number(declared) <= limit
}

/** Read a body stream up to `limit` bytes; past it, drain the rest (so the client still receives our answer) and refuse with 413. */
async function readBodyStream(c: Context<AppEnv>, limit: number): Promise<Buffer> {
  const body = c.req.raw.body
  // Stryker disable next-line ConditionalExpression: callers read only requests that have a body (hasNoBody)
  if (!body) return Buffer.alloc(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let tooLarge = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) tooLarge = true
    else chunks.push(value)
  }
  if (tooLarge) throw new PayloadTooLargeError()
  return Buffer.concat(chunks)
}

/**
 * Middleware: a body whose declared Content-Length is over the limit is read and discarded, then
 * refused with 413, on every route (also those that never read their body). Bodies without a
 * length are held to the same limit where they are read.
 */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const limit = (c.get('bodyLimit') ?? DEFAULT_BODY_LIMIT)
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > limit) {
    // A declared length over the limit: the stream is drained (readBody's fast path is for lengths within it).
    return readBodyStream(c, limit).then(() => {
      throw new PayloadTooLargeError()
    })
  }
  return next()
}

/**
 * True when the request carries no body: GET/HEAD (whose bodies Rack would ignore here anyway); over a
 * socket, no Content-Length (or 0) and no Transfer-Encoding; in-process (`app.request`), no body stream.
 */
export function hasNoBody(c: Context<AppEnv>): boolean {
  const method = c.req.method
  if (method === 'GET' || method === 'HEAD') return true
  const length = c.req.header('content-length')
  if (length !== undefined) return length === '0'
  if (c.req.header('transfer-encoding') !== undefined) return false
  const overSocket = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined
  return overSocket || c.req.raw.body === null
}

/** The query string's parameters of a URL (Rack-style), in a new object. */
function queryOf(url: string): RawParams {
  const q = url.indexOf('?')
  return q === -1 ? {} : parseRackQuery(new URLSearchParams(url.slice(q + 1)).entries())
}

/** The query string's parameters (Rack-style), parsed once per request; all there is for a request without a body. */
export function queryParams(c: Context<AppEnv>): RawParams {
  const cached = c.get('params') as RawParams | undefined
  // Stryker disable next-line ConditionalExpression: skipping the cache parses the same query again
  if (cached) return cached
  const params = queryOf(c.req.url)
  if (hasNoBody(c)) c.set('params', params)
  return params
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024

/**
 * Query plus body, body winning, as Rack merges GET and POST parameters. Cached on the context. A JSON or form
 * body is parsed in the one continuation that receives its text (every turn of the microtask queue is paid by
 * each write request).
 */
export function readParams(c: Context<AppEnv>): Promise<RawParams> {
  const cached = c.get('params') as RawParams | undefined
  if (cached) return Promise.resolve(cached)
  if (hasNoBody(c)) return Promise.resolve(queryParams(c))
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  const limit = c.get('bodyLimit') ?? DEFAULT_BODY_LIMIT
  if (type.startsWith('multipart/form-data')) return readMultipartParams(c, type, limit)
  return readBodyText(c, limit).then((text) => {
    c.set('requestBody', text) // for the request journal
    const url = c.req.url
    let params: RawParams
    if (type.startsWith('application/x-www-form-urlencoded')) {
      params = queryOf(url)
      assignOwn(params, parseRackQuery(new URLSearchParams(text).entries()))
    } else {
      params = jsonParams(text, type, url)
    }
    c.set('params', params)
    return params
  })
}

/**
 * A JSON body's members over the query's parameters. Without a query the parsed object is the parameters
 * themselves (no copy on every write), unless it names `__proto__` as its own key, which the copy leaves out.
 */
function jsonParams(text: string, type: string, url: string): RawParams {
  let body: unknown
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      if (type.includes('json') || type === '') throw new ParamError(['The request body is not valid JSON'])
    }
  }
  // Stryker disable next-line ConditionalExpression: the indexes of a JSON string or array name no parameter
  const members = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as RawParams) : undefined
  // The copy holds the same parameters as the object, so which one is returned is a matter of cost, and leaving out an
  // own `__proto__` is defence: no write route copies its parameters with [[Set]] (pageForm, which does, serves GET lists).
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,BooleanLiteral,MethodExpression: see above
  if (members !== undefined && !url.includes('?') && !Object.hasOwn(members, '__proto__')) return members
  const params = queryOf(url)
  if (members !== undefined) assignOwn(params, members)
  return params
}

/** A multipart body's fields (a file field by its file name) over the query's parameters. */
async function readMultipartParams(c: Context<AppEnv>, type: string, limit: number): Promise<RawParams> {
  const params = queryOf(c.req.url)
  const bytes = await readBody(c, limit)
  c.set('requestBody', bytes) // for the request journal
  let form: FormData
  try {
    // Stryker disable next-line LogicalOperator: the header is there (its value named multipart)
    form = await new Response(bytes, { headers: { 'content-type': c.req.header('content-type') ?? type } }).formData()
  } catch {
    throw new ParamError(['The provided multipart body is malformed'])
  }
  for (const [key, value] of form.entries()) setRackParam(params, key, typeof value === 'string' ? value : value.name)
  c.set('params', params)
  return params
}

// ---- coercion, Grape style ----------------------------------------------------------------------

/** dry-types Params::Bool values, which Grape's Boolean coercion uses. */
const TRUE_VALUES = new Set(['1', 'on', 'On', 'ON', 't', 'true', 'True', 'TRUE', 'T', 'y', 'yes', 'Yes', 'YES', 'Y'])
const FALSE_VALUES = new Set(['0', 'off', 'Off', 'OFF', 'f', 'false', 'False', 'FALSE', 'F', 'n', 'no', 'No', 'NO', 'N'])

type Problem = string
const INVALID = Symbol('invalid')

function coerceBool(v: unknown): boolean | typeof INVALID | undefined {
  if (typeof v === 'boolean') return v
  if (v === 1 || v === 0) return v === 1
  if (typeof v === 'string') {
    // Grape 1.5 treats '' as nil for non-String types; matching is case-exact (dry-types Params::Bool).
    if (v === '') return undefined
    if (TRUE_VALUES.has(v)) return true
    if (FALSE_VALUES.has(v)) return false
  }
  return INVALID
}

function coerceInt(v: unknown): number | typeof INVALID | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : INVALID
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined
    if (/^\s*[+-]?\d+\s*$/.test(v)) return Number(v)
  }
  return INVALID
}

function coerceString(v: unknown): string | typeof INVALID | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return INVALID
}

/** tag_list: an array of strings, or a comma-separated string (CommaSeparatedToArray): split, trimmed, blanks dropped. */
function coerceTagList(v: unknown): string[] | typeof INVALID | undefined {
  if (typeof v === 'string') return splitTags(v)
  if (Array.isArray(v)) {
    const out: string[] = []
    for (const item of v) {
      if (typeof item !== 'string' && typeof item !== 'number') return INVALID
      splitTags(String(item), out)
    }
    return out
  }
  if (typeof v === 'number') return [String(v)]
  return INVALID
}

/** The comma-separated names in `text`, trimmed, empty ones dropped, pushed onto `out` (a new list unless given; no list per step: every registration with tags parses one). */
export function splitTags(text: string, out: string[] = []): string[] {
  let start = 0
  for (;;) {
    const comma = text.indexOf(',', start)
    const name = (comma === -1 ? text.slice(start) : text.slice(start, comma)).trim()
    if (name !== '') out.push(name)
    if (comma === -1) return out
    start = comma + 1
  }
}

/**
 * One declared parameter. `T` is the value's type (a `values` list narrows it to the literal union);
 * `R` is true when a value is always there after a successful parse.
 */
export interface Spec<T, R extends boolean = boolean> {
  coerce(v: unknown): T | typeof INVALID | undefined
  required?: boolean
  values?: readonly T[]
  /** Read from the route's path (`:id`) instead of the query or body; declared in its Grape order among the others. */
  in?: 'path'
  /** A member of a Hash parameter, validated under its Grape name (`info[version]`): `['info', 'version']`. */
  member?: readonly [string, string]
  /** Extra check after coercion; returns a Grape reason such as `has a value not allowed`. */
  check?(v: T): string | undefined
  /** Grape's `given other: ->(v) { v == value }`: declared only when that other parameter has that value. */
  given?: readonly [string, string]
  /** GitLab versions that declare the parameter, `[since, until)`; in others it is undeclared (Grape drops it). */
  since?: GitLabVersion
  until?: GitLabVersion
  /** Type-only marker of `R` (never set). */
  readonly present?: R
}

export interface SpecOptions<T> {
  required?: boolean
  values?: readonly T[]
  in?: 'path'
  member?: readonly [string, string]
  check?(v: T): string | undefined
  given?: readonly [string, string]
  since?: GitLabVersion
  until?: GitLabVersion
}

type Narrowed<T, O> = O extends { values: readonly (infer V)[] } ? V : T
/**
 * Always present: required strings, tag lists and hashes, and path parameters. A required Integer or
 * Boolean sent blank is nil for Grape (the key counts as given): `T | undefined` then, honestly typed.
 */
type Present<O, BlankIsNil extends boolean> = O extends { in: 'path' } ? true : O extends { required: true } ? (BlankIsNil extends true ? false : true) : false
type Built<T, O, BlankIsNil extends boolean> = Spec<Narrowed<T, O>, Present<O, BlankIsNil>>

function builder<T, BlankIsNil extends boolean>(coerce: (v: unknown) => T | typeof INVALID | undefined) {
  // The cast is the one place a `values` list narrows the coerced type: parseParams checks membership at run time.
  return <const O extends SpecOptions<T> = object>(extra?: O & SpecOptions<T>): Built<T, O, BlankIsNil> => ({ coerce, ...extra }) as unknown as Built<T, O, BlankIsNil>
}

export const p = {
  int: builder<number, true>(coerceInt),
  bool: builder<boolean, true>(coerceBool),
  string: builder<string, false>(coerceString),
  tagList: builder<string[], false>(coerceTagList),
  /** A hash of optional strings (registration `info`). */
  hash: (keys: readonly string[]): Spec<Record<string, string>, false> => ({
    coerce(v) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return INVALID
      const out: Record<string, string> = {}
      for (const k of keys) {
        const value = (v as RawParams)[k]
        if (value === undefined || value === null) continue
        const s = coerceString(value)
        if (s === INVALID) return INVALID
        if (s !== undefined) out[k] = s
      }
      return out
    },
  }),
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Specs = Record<string, Spec<any>>
type ValueOf<S> = S extends Spec<infer T, boolean> ? Exclude<T, null> : never
type PresentKeys<S> = { [K in keyof S]: S[K] extends Spec<unknown, true> ? K : never }[keyof S]
/** The typed result of parseParams: literal unions for `values`, non-optional keys for what is always present. */
export type Parsed<S> = { [K in PresentKeys<S>]: ValueOf<S[K]> } & { [K in Exclude<keyof S, PresentKeys<S>>]?: ValueOf<S[K]> }

/** Grape's group validators, checked after every single parameter, in this order. */
export interface GroupRules {
  /** `mutually_exclusive`: `a, b are mutually exclusive`. */
  mutuallyExclusive?: readonly (readonly string[])[]
  /** `at_least_one_of`: `a, b are missing, at least one parameter must be provided`. */
  atLeastOneOf?: readonly (readonly string[])[]
}

const NO_RULES: GroupRules = {}

/** `raw[parent][key]` when `raw[parent]` is a hash; undefined otherwise (its own spec reports a non-hash). */
function memberOf(raw: RawParams, [parent, key]: readonly [string, string]): unknown {
  const hash = raw[parent]
  return hash !== null && typeof hash === 'object' && !Array.isArray(hash) ? (hash as RawParams)[key] : undefined
}

const given = (raw: RawParams, name: string) => raw[name] !== undefined && raw[name] !== null

/**
 * Validate parameters in declaration order, collecting every problem as Grape does
 * (`id is invalid, paused is invalid, active, paused are mutually exclusive`), then throw one
 * ParamError, or return the typed values. A blank value of a non-string type is nil for Grape: the
 * key counts as given (so `required` holds) and the value is left undefined.
 */
export function parseParams<S extends Specs>(
  raw: RawParams,
  specs: S,
  rules: GroupRules = NO_RULES,
  path?: (name: string) => string | undefined,
  /** The world's GitLab version: parameters declared for other versions are ignored (default: every parameter counts). */
  version?: GitLabVersion,
): Parsed<S> {
  const problems: Problem[] = []
  const out: Record<string, unknown> = {}
  const plan = planOf(specs, rules, version)
  const { names, declared } = plan
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const spec = declared[i] as Spec<unknown>
    if (spec.given && raw[spec.given[0]] !== spec.given[1]) continue
    const value = spec.in === 'path' ? path?.(name) : spec.member ? memberOf(raw, spec.member) : raw[name]
    if (value === undefined || value === null) {
      if (spec.required) problems.push(`${name} is missing`)
      continue
    }
    const coerced = spec.coerce(value)
    if (coerced === INVALID) {
      problems.push(`${name} is invalid`)
      continue
    }
    if (coerced === undefined) {
      // A blank path segment (`/runners/%20`) names no record: invalid, as a path id always is when not an integer.
      if (spec.in === 'path') problems.push(`${name} is invalid`)
      continue
    }
    if (spec.values && !spec.values.includes(coerced)) {
      problems.push(`${name} does not have a valid value`)
      continue
    }
    const reason = spec.check?.(coerced)
    if (reason) {
      problems.push(`${name} ${reason}`)
      continue
    }
    out[name] = coerced
  }
  for (const names of plan.mutuallyExclusive) {
    // Counted first: on nearly every request at most one of them is given, and no list is made.
    let count = 0
    for (const n of names) if (given(raw, n)) count++
    // Stryker disable next-line MethodExpression: every group is a pair today, so the names given are all of its names
    if (count > 1) problems.push(`${names.filter((n) => given(raw, n)).join(', ')} are mutually exclusive`)
  }
  for (const names of plan.atLeastOneOf) {
    if (!names.some((n) => given(raw, n))) problems.push(`${names.join(', ')} are missing, at least one parameter must be provided`)
  }
  if (problems.length > 0) throw new ParamError(problems)
  return out as Parsed<S>
}

/** What parseParams walks for one table entry under one GitLab version: its declared parameters in order, and the rules' declared names. */
interface Plan {
  readonly names: readonly string[]
  readonly declared: readonly Spec<unknown>[]
  readonly mutuallyExclusive: readonly (readonly string[])[]
  readonly atLeastOneOf: readonly (readonly string[])[]
}

/** Plans by specs, rules and version: made once per endpoint and version instead of per request. */
const plans = new WeakMap<Specs, WeakMap<GroupRules, Map<GitLabVersion | undefined, Plan>>>()

function planOf(specs: Specs, rules: GroupRules, version: GitLabVersion | undefined): Plan {
  let byRules = plans.get(specs)
  // Stryker disable next-line ConditionalExpression,BlockStatement: a cache; making the plan again gives the same plan
  if (byRules === undefined) plans.set(specs, (byRules = new WeakMap()))
  let byVersion = byRules.get(rules)
  // Stryker disable next-line ConditionalExpression,BlockStatement: a cache (see above)
  if (byVersion === undefined) byRules.set(rules, (byVersion = new Map()))
  let plan = byVersion.get(version)
  // Stryker disable next-line ConditionalExpression,BlockStatement: a cache (see above)
  if (plan === undefined) byVersion.set(version, (plan = makePlan(specs, rules, version)))
  return plan
}

function makePlan(specs: Specs, rules: GroupRules, version: GitLabVersion | undefined): Plan {
  const declared = (name: string) => {
    const spec = specs[name] as Spec<unknown> | undefined
    return spec === undefined || version === undefined || inVersionRange(version, spec.since, spec.until)
  }
  const names = Object.keys(specs).filter(declared)
  return {
    names,
    declared: names.map((name) => specs[name] as Spec<unknown>),
    mutuallyExclusive: (rules.mutuallyExclusive ?? []).map((names) => names.filter(declared)),
    atLeastOneOf: (rules.atLeastOneOf ?? []).map((all) => all.filter(declared)),
  }
}
