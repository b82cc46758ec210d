import { isDeepStrictEqual } from 'node:util'
/**
 * @module The fuzz harness: sends generated request sequences to an in-process app and checks, after
 * every request, that nothing answered 5xx or hung, every body is JSON in GitLab's error shape or a
 * checked success, no error body or log line carries a token that was sent, and the store's invariants
 * hold. Seeded; a failure reports fast-check's seed and shrunk sequence.
 */
import fc from 'fast-check'
import { createApp, type AppOptions, type MockApp } from '../../src/app.js'
import { assertStoreInvariants } from '../../src/domain/invariants.js'
import { listAllRunners, listGroupRunners, listOwnedRunners, listProjectRunners, runnerMatcher, type RunnerFilter } from '../../src/domain/runners.js'
import type { Actor } from '../../src/domain/permissions.js'
import { RUNNER_TYPES, type Group, type Project, type Runner } from '../../src/domain/types.js'
import type { Store } from '../../src/domain/store.js'
import { runnerDetailsEntity, runnerEntity, type EntityContext } from '../../src/http/entities.js'
import { runnerDetailsText, runnerText, writtenRunnerDetailsText } from '../../src/http/entity-text.js'
import { setAnswerKeeping } from '../../src/http/kept-answers.js'
import { dumpState } from '../../src/seed/dump.js'
import { DEFAULT_FIXTURE, DEFAULT_SEED, MockWorld } from '../../src/world.js'
import type { Fixture } from '../../src/seed/fixture-types.js'
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
      if (res.status < 400 && path !== '/-/health') checkResponse(request.method, path, res, target.app.world.profile.version)
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
 * The cached entity texts equal a fresh serialization, for every runner and every viewer class, after
 * whatever the sequence did so far (writes, clock moves, resets, restores, reseeds): checked halfway
 * through every case, at its end and after the reset that follows. Records outlive requests and cases,
 * so most checks are answered from the cache.
 */
export function checkCachedTexts(store: Store): void {
  const admin = [...store.state.users.values()].find((u) => u.isAdmin)
  const member = [...store.state.users.values()].find((u) => !u.isAdmin && u.state === 'active')
  const viewers: Array<EntityContext['actor']> = [null]
  if (admin) viewers.push({ user: admin, isAdmin: true } as EntityContext['actor'])
  if (member) viewers.push({ user: member, isAdmin: false } as EntityContext['actor'])
  for (const runner of store.runners()) {
    for (const actor of viewers) {
      const who = actor ? actor.user.username : 'nobody'
      const ctx: EntityContext = { store, baseUrl: 'http://gitlab.test', actor }
      // From 18.0 the list item shows created_by to a caller: one check per viewer class.
      if (runnerText(runner, ctx) !== JSON.stringify(runnerEntity(runner, ctx)))
        throw new Error(`the cached list text of runner ${runner.id} for ${who} differs from a fresh serialization`)
      const details = JSON.stringify(runnerDetailsEntity(runner, ctx))
      if (runnerDetailsText(runner, ctx) !== details)
        throw new Error(`the cached details text of runner ${runner.id} for ${who} differs from a fresh serialization`)
      // What a write answers: the record's head serialized, its links from the kept texts.
      if (writtenRunnerDetailsText(runner, ctx) !== details)
        throw new Error(`the written details text of runner ${runner.id} for ${who} differs from a fresh serialization`)
      const lean = { includeProjects: false }
      if (runnerDetailsText(runner, ctx, lean) !== JSON.stringify(runnerDetailsEntity(runner, ctx, lean)))
        throw new Error(`the cached details text (without projects) of runner ${runner.id} for ${who} differs from a fresh serialization`)
    }
  }
}

/** Filters whose lists are kept between requests: each type and none, with each time-dependent status and scope. */
const KEPT_FILTERS: RunnerFilter[] = [undefined, ...RUNNER_TYPES].flatMap((type) => [
  { type },
  { type, status: 'online' },
  { type, status: 'offline' },
  { type, status: 'stale' },
  { type, scope: 'online' },
  { type, status: 'never_contacted', tagList: ['docker'] },
])

/**
 * Every kept runner list (src/domain/kept-selections.ts) equals a fresh walk of the store with the same
 * filter, after whatever the sequence did (writes, clock moves, resets): the same runners, in the same order,
 * as the same records (a list mended after writes holds the written records). Asked twice, so the second answer
 * comes from what the first kept. The lists of users, projects and groups are checked against a fork of the
 * store, which keeps no lists of its own yet.
 */
export function checkKeptLists(store: Store): void {
  const admin = [...store.state.users.values()].find((u) => u.isAdmin && u.state === 'active')
  if (!admin) return
  const fresh = store.fork()
  const users = [...store.state.users.values()].filter((u) => !u.isAdmin && u.state === 'active').slice(0, 3)
  const projects = [...store.state.projects.keys()].slice(0, 3)
  const groups = [...store.state.groups.keys()].slice(0, 3)
  const lists: Array<[string, (s: Store) => Runner[]]> = [
    ...users.map((user): [string, (s: Store) => Runner[]] => [`user ${user.id}`, (s) => listOwnedRunners(s, { user, isAdmin: false } as Actor, {})]),
    ...projects.map((id): [string, (s: Store) => Runner[]] => [`project ${id}`, (s) => listProjectRunners(s, s.project(id) as Project, {})]),
    ...groups.map((id): [string, (s: Store) => Runner[]] => [`group ${id}`, (s) => listGroupRunners(s, s.group(id) as Group, { status: 'online' })]),
  ]
  for (let round = 0; round < 2; round++) {
    for (const filter of KEPT_FILTERS) {
      const kept = listAllRunners(store, { user: admin, isAdmin: true } as Actor, filter)
      const match = runnerMatcher(filter, store.now(), store.profile.staleAfter, store)
      // The same store: the very records (a renewed record with the same fields has texts of its own).
      expectSameRunners(`the kept list for ${JSON.stringify(filter)}`, kept, [...store.runners()].filter(match), (a, b) => a === b)
    }
    for (const [name, list] of lists) expectSameRunners(`the kept list of ${name}`, list(store), list(fresh), isDeepStrictEqual)
  }
}

function expectSameRunners(what: string, kept: readonly Runner[], fresh: readonly Runner[], same: (a: Runner, b: Runner) => boolean): void {
  if (kept.map((r) => r.id).join() !== fresh.map((r) => r.id).join())
    throw new Error(`${what} is [${kept.map((r) => r.id).join()}], a fresh walk gives [${fresh.map((r) => r.id).join()}]`)
  kept.forEach((runner, i) => {
    if (!same(runner, fresh[i] as Runner)) throw new Error(`${what} holds an old record of runner ${runner.id}: ${JSON.stringify(runner).slice(0, 300)}`)
  })
}

/**
 * A successful read answers what a fresh one would (src/http/kept-answers.ts keeps whole answers between
 * requests): the same request sent again with keeping off gets the same status, headers and bytes.
 */
export async function checkKeptAnswer(target: FuzzTarget, request: FuzzRequest, res: Exchange): Promise<void> {
  // The reads that keep answers: GET /runners, /runners/all and /runners/:id (endpoints with keepAnswers).
  if (request.method !== 'GET' || res.status !== 200 || !/^\/api\/v4\/runners(\/[^/?]+)?(\?|$)/.test(request.url)) return
  setAnswerKeeping(false)
  let fresh: Exchange
  try {
    fresh = await send(target.app, request)
  } finally {
    setAnswerKeeping(true)
  }
  const headersOf = (e: Exchange) => [...e.headers].filter(([k]) => k !== 'x-request-id').map(([k, v]) => `${k}: ${v}`).join('\n')
  if (fresh.status !== res.status || fresh.text !== res.text || headersOf(fresh) !== headersOf(res))
    throw new Error(`a kept answer differs from a fresh one\n  request: ${JSON.stringify(request).slice(0, 400)}\n  kept: ${res.status} ${res.text.slice(0, 300)}\n  fresh: ${fresh.status} ${fresh.text.slice(0, 300)}`)
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

/**
 * Everything a store holds, as comparable data (the dump without the clock's reading and the statuses
 * derived from it, plus the request-time random state).
 */
function stateOf(store: Store): unknown {
  const { meta, runners, ...rest } = dumpState(store, { seed: 0, clockFrozen: true })
  return { ...rest, counters: meta.counters, runners: runners.map(({ status: _status, ...r }) => r), rngState: store.state.rngState }
}

const freshStates = new Map<Fixture, Map<string, unknown>>()

/** The state of a world just built from this seed, fixture and GitLab version (cached: building is the slow part). */
function freshState(world: MockWorld): unknown {
  let bySeed = freshStates.get(world.fixture)
  if (!bySeed) freshStates.set(world.fixture, (bySeed = new Map()))
  const key = `${world.profile.version}\n${world.seed}`
  if (!bySeed.has(key))
    bySeed.set(key, stateOf(new MockWorld({ seed: world.seed, fixture: world.fixture, clock: FIXED_NOW, gitlabVersion: world.profile.version }).store))
  return bySeed.get(key)
}

/** A copy-on-write fork taken mid-sequence, with the state it must keep whatever the live store does next. */
interface ForkProbe {
  fork: Store
  state: unknown
}

export function takeForkProbe(world: MockWorld): ForkProbe {
  return { fork: world.store.fork(), state: stateOf(world.store) }
}

/**
 * Copy-on-write never leaks a write: a fork taken mid-sequence (what a snapshot is) and a fork of that
 * fork (what a restore is) still hold the state of that moment, and reset gives exactly a fresh world.
 */
export function checkCopyOnWrite(world: MockWorld, probe: ForkProbe | undefined): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  if (probe) {
    if (!same(stateOf(probe.fork), probe.state)) throw new Error('a write after a fork leaked into the fork (a snapshot changed)')
    if (!same(stateOf(probe.fork.fork()), probe.state)) throw new Error('a fork of a fork (a restore) differs from its source')
  }
  world.reset()
  if (!same(stateOf(world.store), freshState(world))) throw new Error('reset after writes differs from a freshly built world (a write leaked into the template)')
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
    let fork: ForkProbe | undefined
    for (const [i, request] of requests.entries()) {
      if (i === Math.floor(requests.length / 2)) {
        checkCachedTexts(target.app.world.store)
        checkKeptLists(target.app.world.store)
        fork = takeForkProbe(target.app.world)
      }
      target.log.length = 0
      const previousSeq = target.app.worlds.default.journal.last()?.seq ?? 0
      const res = await send(target.app, request)
      stats.requests++
      const bucket = `${res.status}`
      stats.statuses[bucket] = (stats.statuses[bucket] ?? 0) + 1
      checkExchange(target, request, res, probe, undocumented)
      checkJournalEntry(target, request, res, previousSeq)
      await checkKeptAnswer(target, request, res)
    }
    checkCachedTexts(target.app.world.store)
    checkKeptLists(target.app.world.store)
    checkCopyOnWrite(target.app.world, fork)
    checkCachedTexts(target.app.world.store) // after the reset too
    checkKeptLists(target.app.world.store)
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
