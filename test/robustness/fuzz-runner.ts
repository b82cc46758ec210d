/**
 * @module The fuzz harness: sends generated request sequences to an in-process app and checks, after
 * every request, that nothing answered 5xx or hung, every body is JSON in GitLab's error shape or a
 * checked success, no error body or log line carries a token that was sent, and the store's invariants
 * hold. Seeded; a failure reports fast-check's seed and shrunk sequence.
 */
import fc from 'fast-check'
import { createApp, type AppOptions, type MockApp } from '../../src/app.js'
import { assertStoreInvariants } from '../../src/domain/invariants.js'
import { DEFAULT_FIXTURE, DEFAULT_SEED } from '../../src/world.js'
import { FIXED_NOW } from '../harness.js'
import { checkResponse } from '../response-checks.js'
import { checkRouteResponse } from '../../src/validation/routes.js'
import { journalEntryView } from '../../src/control/journal-view.js'
import { SECRETS, requestArbitrary, type Endpoint, type FuzzRequest } from './fuzz-requests.js'

export interface Exchange {
  status: number
  headers: Headers
  text: string
  body: unknown
}

/** A fuzz target: the app plus the log lines it wrote during the current request. */
export interface FuzzTarget {
  app: MockApp
  log: string[]
}

/** The app as users run it, with debug request logging captured (so the secrets property sees every line). */
export function fuzzTarget(options: AppOptions = {}): FuzzTarget {
  const log: string[] = []
  const app = createApp({ clock: FIXED_NOW, gitlabVersion: '15.11', logLevel: 'debug', log: (line) => log.push(line), ...options })
  return { app, log }
}

/** A hang bound for one in-process request. */
const REQUEST_TIMEOUT_MS = 5000

export async function send(app: MockApp, request: FuzzRequest): Promise<Exchange> {
  const headers = new Headers()
  for (const [name, value] of request.headers) headers.append(name, value)
  const withBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD'
  if (withBody && request.body?.type) headers.set('Content-Type', request.body.type)
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS)
  })
  try {
    const res = await Promise.race([
      app.request(`http://gitlab.test${request.url}`, { method: request.method, headers, body: withBody ? request.body?.text : undefined }),
      hang,
    ])
    const text = await Promise.race([res.text(), hang])
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      body = undefined
    }
    return { status: res.status, headers: res.headers, text, body }
  } finally {
    clearTimeout(timer)
  }
}

const isString = (v: unknown): v is string => typeof v === 'string'
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const keysAre = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).sort().join(',') === [...keys].sort().join(',')

/** GitLab's error bodies: `{message}` (a string, or model errors by field), `{error}`, and the OAuth shapes. */
export function isGitLabErrorBody(body: unknown): boolean {
  if (!isObject(body)) return false
  if (keysAre(body, ['message']))
    return isString(body.message) || (isObject(body.message) && Object.values(body.message).every((v) => Array.isArray(v) && v.every(isString)))
  if (keysAre(body, ['error'])) return isString(body.error)
  if (keysAre(body, ['error', 'error_description'])) return body.error === 'invalid_token' && isString(body.error_description)
  if (keysAre(body, ['error', 'error_description', 'scope'])) return body.error === 'insufficient_scope' && isString(body.error_description) && isString(body.scope)
  return false
}

/** The control API's errors: a string `message`, optionally with a hint or the fixture's problems. */
function isControlErrorBody(body: unknown): boolean {
  return isObject(body) && isString(body.message) && Object.keys(body).every((k) => ['message', 'hint', 'problems', 'routes'].includes(k))
}

/** Values this request sends as credentials: any header, and query or body parameters whose name mentions a token. */
export function secretsSent(request: FuzzRequest): string[] {
  const values: string[] = request.headers.map(([, v]) => v)
  const pairs = (text: string) => {
    for (const [k, v] of new URLSearchParams(text)) if (/token/i.test(k)) values.push(v)
  }
  pairs(request.url.split('?')[1] ?? '')
  const text = request.body?.text ?? ''
  if (request.body?.type?.startsWith('application/x-www-form-urlencoded')) pairs(text)
  for (const m of text.matchAll(/name="([^"]*)"\r\n\r\n([^\r]*)/g)) if (/token/i.test(m[1] as string)) values.push(m[2] as string)
  try {
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && /token/i.test(key)) values.push(v)
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? key : k)
    }
    walk(JSON.parse(text))
  } catch {
    // not JSON
  }
  return SECRETS.filter((s) => values.some((v) => v.includes(s)))
}

function pathOf(url: string): string {
  const path = url.split('?')[0] as string
  return path.startsWith('/api/v4/') ? path.slice('/api/v4'.length) : path
}

/** Every property of one exchange; throws with the reason. */
export function checkExchange(target: FuzzTarget, request: FuzzRequest, res: Exchange, probeTokens: Set<string>, undocumented?: Set<string>): void {
  const fail = (why: string): never => {
    throw new Error(`${why}\n  request: ${JSON.stringify(request).slice(0, 600)}\n  answer: ${res.status} ${res.text.slice(0, 400)}`)
  }
  if (res.status >= 500) fail(`a ${res.status}`)
  // The one redirect: GET / sends a browser to the inspector.
  if (res.status === 302 && pathOf(request.url) === '/' && ['GET', 'HEAD'].includes(request.method)) {
    if (res.headers.get('location') !== '/-/mock/ui') fail(`GET / redirects to ${res.headers.get('location')}`)
    return
  }
  if (res.status < 200 || res.status >= 300 && res.status < 400) fail(`status ${res.status} is neither a success nor an error`)
  if ('polluted' in {}) fail('Object.prototype was polluted')

  const path = pathOf(request.url)
  if (request.method === 'HEAD' || res.status === 204) {
    if (res.text !== '') fail('a HEAD or 204 answer has a body')
  } else if (path === '/-/health' && res.status === 200) {
    if (!/^text\/plain/.test(res.headers.get('content-type') ?? '')) fail('/-/health is not plain text')
  } else {
    if (res.headers.get('content-type') !== 'application/json') fail(`Content-Type ${res.headers.get('content-type')}`)
    if (res.body === undefined) fail('the body is not JSON')
    if (res.status >= 400) {
      const control = path.startsWith('/-/mock')
      if (!(isGitLabErrorBody(res.body) || (control && isControlErrorBody(res.body)))) fail('the error body is not in GitLab’s shape')
    }
    try {
      // Successes go through the harness's strict schema checks; errors were checked for GitLab's shape above
      // (an error status a route's contract does not list fails the property too).
      if (res.status < 400 && path !== '/-/health') checkResponse(request.method, path, res)
    } catch (error) {
      fail(`response check: ${(error as Error).message}`)
    }
    if (res.status >= 400) {
      const verdict = checkRouteResponse(request.method, path, res.status, res.body, 'strict', target.app.world.profile.version)
      if (!verdict.ok && verdict.endpoint) {
        undocumented?.add(`${verdict.endpoint} ${res.status}`)
        fail(`${verdict.endpoint} answered ${res.status}, which its route contract does not list`)
      }
    }
  }

  const sent = secretsSent(request)
  for (const secret of sent) {
    if (res.status >= 400 && res.text.includes(secret)) fail(`the error body repeats the token ${secret}`)
    for (const line of target.log) if (line.includes(secret)) fail(`a log line shows the token ${secret}: ${line.slice(0, 300)}`)
  }

  collectTokens(res.body, probeTokens)
  for (const s of sent) probeTokens.add(s)
  try {
    assertStoreInvariants(target.app.world.store, probeTokens)
  } catch (error) {
    fail((error as Error).message)
  }
}

/**
 * The journal entry of this request (if it made one) shows no secret: none the request sent, none
 * the response handed out (a registration's new runner token), none of the world's well-known tokens.
 */
export function checkJournalEntry(target: FuzzTarget, request: FuzzRequest, res: Exchange, previousSeq: number): void {
  const record = target.app.worlds.default.journal.last()
  if (!record || record.seq <= previousSeq) return
  const shown = JSON.stringify(journalEntryView(record))
  const handedOut = new Set<string>()
  collectTokens(res.body, handedOut)
  for (const secret of [...secretsSent(request), ...handedOut, ...SECRETS])
    if (shown.includes(secret)) throw new Error(`a journal entry shows the token ${secret}\n  request: ${JSON.stringify(request).slice(0, 600)}\n  entry: ${shown.slice(0, 600)}`)
}

/** Tokens a response hands out (registration answers, resets, the control API's token list), to probe the token index with. */
function collectTokens(body: unknown, into: Set<string>, depth = 0): void {
  if (depth > 6) return
  if (Array.isArray(body)) for (const item of body) collectTokens(item, into, depth + 1)
  else if (isObject(body))
    for (const [k, v] of Object.entries(body)) {
      if (/token/i.test(k) && isString(v) && v.length >= 8) into.add(v)
      else collectTokens(v, into, depth + 1)
    }
}

/** Back to the default world between cases, so a case replays the same on shrinking. */
function resetTarget(target: FuzzTarget): void {
  const world = target.app.world
  if (world.seed !== DEFAULT_SEED || world.fixture !== DEFAULT_FIXTURE) world.reseed({ seed: DEFAULT_SEED, fixture: DEFAULT_FIXTURE })
  world.reset()
  for (const name of world.snapshotNames()) world.deleteSnapshot(name)
}

export interface FuzzOptions {
  seed: number
  /** Keep starting batches (seed, seed+1, …) until at least this many requests were sent. */
  minRequests: number
  runsPerBatch?: number
  maxSequence?: number
  extraEndpoints?: readonly Endpoint[]
  target?: FuzzTarget
}

export interface FuzzStats {
  requests: number
  cases: number
  batches: number
  seeds: number[]
  ms: number
  statuses: Record<string, number>
  /** `GET /runners 404`: error statuses seen that the route's contract (src/validation/routes.ts) does not list. */
  undocumented: string[]
}

/** Run the fuzzer; throws fast-check's report (seed, shrunk sequence, reason) on the first broken property. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const target = options.target ?? fuzzTarget()
  const stats: FuzzStats = { requests: 0, cases: 0, batches: 0, seeds: [], ms: 0, statuses: {}, undocumented: [] }
  const undocumented = new Set<string>()
  const started = performance.now()
  const sequence = fc.array(requestArbitrary(options.extraEndpoints), { minLength: 1, maxLength: options.maxSequence ?? 16 })
  const property = fc.asyncProperty(sequence, async (requests) => {
    stats.cases++
    resetTarget(target)
    const probe = new Set<string>()
    for (const request of requests) {
      target.log.length = 0
      const previousSeq = target.app.worlds.default.journal.last()?.seq ?? 0
      const res = await send(target.app, request)
      stats.requests++
      const bucket = `${res.status}`
      stats.statuses[bucket] = (stats.statuses[bucket] ?? 0) + 1
      checkExchange(target, request, res, probe, undocumented)
      checkJournalEntry(target, request, res, previousSeq)
    }
  })
  while (stats.requests < options.minRequests) {
    const seed = options.seed + stats.batches
    stats.seeds.push(seed)
    stats.batches++
    await fc.assert(property, { seed, numRuns: options.runsPerBatch ?? 1000 })
  }
  stats.ms = performance.now() - started
  stats.undocumented = [...undocumented].sort()
  return stats
}
