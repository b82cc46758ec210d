/**
 * @module Whole answers kept between requests. A read of runners (details, the lists) depends on the request (its
 * URL and credentials), the world's records, its version profile and the time; records change only by writes, and
 * the time only matters at known instants (a runner's status changes, a token expires). So the answer to a GET is
 * kept under its world, version, URL and credentials, and given again, with its own X-Request-Id, while the store
 * has taken no write, the profile is the same, the clock has not gone back and no instant the handler named (with
 * `answerValidUntil`) has come. A handler that names none is never kept. Journal, faults and the throttle still see
 * every request: they run before the route.
 *
 * An answer that shows one runner's record (a runner's details; its handler says so with `answerShows`) also
 * outlasts writes that touched only other runners (the store logs which runner each write touched). And a write
 * whose answer is what a read of the same URL by the same caller would give next (`PUT /runners/:id` answers the
 * runner's details) keeps its answer for that read (`keepWrittenAnswer`), so a runner read after its update is
 * not made twice.
 */
import type { Context } from 'hono'
import { nextStatusChange } from '../domain/status.js'
import type { Store } from '../domain/store.js'
import type { Runner } from '../domain/types.js'
import type { AppEnv } from './env.js'
import { reply } from './reply.js'

/**
 * Makes a kept answer's body again at `now`, after writes that touched only runners, from what the answer kept
 * (a list page: its runners' texts, only the written ones made again), with its headers and the instant it holds
 * until. Undefined when it cannot: the answer is made anew.
 */
export type AnswerMend = (now: number) => { body: string; until: number; headers: Readonly<Record<string, string>> } | undefined

interface KeptAnswer {
  writes: number
  /** Remakes the body after runner writes (list pages), if the handler gave one. */
  mend: AnswerMend | undefined
  /** The caller's token expiry, which bounds `until` whatever the handler names. */
  tokenUntil: number
  /** The one runner the answer shows, if it says so: writes to other runners leave it standing. */
  shows: number | undefined
  profile: unknown
  from: number
  until: number
  body: string
  headers: Readonly<Record<string, string>>
}

const MAX_KEPT = 256
const kept = new WeakMap<Store, Map<string, KeptAnswer>>()
let keeping = true
/** How many kept answers were given, and how many mended (tests check that a read took that path). */
let served = 0
let mends = 0

export function keptAnswersServed(): number {
  return served
}

export function keptAnswersMended(): number {
  return mends
}

/** Switch keeping off (and on): the fuzz harness compares kept answers with fresh ones. */
export function setAnswerKeeping(enabled: boolean): void {
  keeping = enabled
}

/** What the answer shows holds until `instant` at the latest (the earliest instant named wins). */
export function answerValidUntil(c: Context<AppEnv>, instant: number): void {
  const until = c.get('answerUntil')
  if (until === undefined || instant < until) c.set('answerUntil', instant)
}

/**
 * The answer shows this runner's record and nothing else a runner write changes (a runner's details): it holds
 * until the runner's status changes with time, and outlasts writes to other runners.
 */
export function answerShowsRunner(c: Context<AppEnv>, store: Store, runner: Runner): void {
  answerValidUntil(c, nextStatusChange(runner, store.now(), store.profile.staleAfter))
  c.set('answerShows', runner.id)
}

/** The answer's body can be made again after writes that touched only runners, by `mend`. */
export function answerMend(c: Context<AppEnv>, mend: AnswerMend): void {
  c.set('answerMend', mend)
}

/**
 * The request's key: version, the server's external origin (its URLs are in the answer: two apps may serve one
 * world under different external URLs), URL (query credentials included) and the credential headers.
 */
export function answerKey(c: Context<AppEnv>, store: Store): string {
  return keyOf(store.profile.version, c.get('externalOrigin'), c.req.url, c.req.header('private-token') ?? '', c.req.header('authorization') ?? '', c.req.header('sudo') ?? '')
}

function keyOf(version: string, origin: string, url: string, privateToken: string, authorization: string, sudo: string): string {
  return `${version}\n${origin}\n${url}\n${privateToken}\n${authorization}\n${sudo}`
}

/** The kept answer to this request, as a new Response with this request's id, if it still holds. */
export function keptAnswer(c: Context<AppEnv>, store: Store, key: string): Response | undefined {
  if (!keeping) return undefined
  let hit = kept.get(store)?.get(key)
  if (hit === undefined || (!holds(store, hit) && !mended(store, hit))) {
    hit = adoptWritten(c, store, key)
    if (hit === undefined) return undefined
  }
  const now = store.now()
  if (now < hit.from || now >= hit.until) return undefined
  served++
  return reply(c, hit.body, 200, hit.headers)
}

/** Whether what a kept answer shows is still so in the store (the time span is checked apart). */
function holds(store: Store, hit: KeptAnswer): boolean {
  return hit.profile === store.profile && (hit.writes === store.writeCount || outlastsWrites(store, hit))
}

/**
 * Whether the answer could be brought up to the store's writes with its mend (only runner writes since, the same
 * profile, the clock not moved back); its body and time span are then the mended ones, from `now`. An answer whose
 * mend fails once keeps no mend (what it holds may be half changed).
 */
function mended(store: Store, hit: KeptAnswer): boolean {
  const mend = hit.mend
  if (mend === undefined || hit.profile !== store.profile) return false
  const now = store.now()
  // Past the caller's token expiry the answer goes whatever a mend would make.
  if (now < hit.from || now >= hit.tokenUntil || store.runnersWrittenSince(hit.writes) === undefined) return false
  const writes = store.writeCount
  let made: ReturnType<AnswerMend>
  try {
    made = mend(now)
  } catch {
    made = undefined // the answer is made anew, and says what went wrong
  }
  // Stryker disable next-line ConditionalExpression: a mend reads the store and never writes it
  if (made === undefined || store.writeCount !== writes) {
    hit.mend = undefined
    return false
  }
  mends++
  hit.body = made.body
  hit.headers = made.headers
  hit.until = Math.min(made.until, hit.tokenUntil)
  hit.writes = writes
  hit.from = now
  return true
}

/**
 * Whether every write since the answer was made touched only runners other than the one it shows; if so, the
 * answer is brought up to the store's write count (the next check is one comparison).
 */
function outlastsWrites(store: Store, hit: KeptAnswer): boolean {
  if (hit.shows === undefined) return false
  const written = store.runnersWrittenSince(hit.writes)
  if (written === undefined || written.includes(hit.shows)) return false
  hit.writes = store.writeCount
  return true
}

/** Keep this request's answer if it is a 200 made from ready text whose handler named how long it holds. */
export function keepAnswer(c: Context<AppEnv>, store: Store, key: string, res: Response, from: number, writes: number): void {
  if (writes !== store.writeCount) return
  // The caller's personal access token stops working when it expires: the answer holds until then at most.
  const answer = answerOf(c, store, res, from, c.get('actor') ? tokenExpiry(c, store) : Infinity)
  if (answer !== undefined) put(store, key, answer)
}

/**
 * The answer to keep from this request, made at `from` and held until `tokenUntil` at most: undefined unless it is
 * a 200 made from ready text (reply.ts) whose handler named how long it holds, and keeping is on.
 */
function answerOf(c: Context<AppEnv>, store: Store, res: Response, from: number, tokenUntil: number): KeptAnswer | undefined {
  const handlerUntil = c.get('answerUntil')
  const sent = c.get('replied')
  if (!keeping || handlerUntil === undefined || sent === undefined || res.status !== 200) return undefined
  return {
    writes: store.writeCount, mend: c.get('answerMend'), tokenUntil, shows: c.get('answerShows'), profile: store.profile, from,
    until: Math.min(handlerUntil, tokenUntil), body: sent.body, headers: sent.headers,
  }
}

function put(store: Store, key: string, answer: KeptAnswer): void {
  let byKey = kept.get(store)
  if (byKey === undefined) kept.set(store, (byKey = new Map()))
  else if (byKey.size >= MAX_KEPT && !byKey.has(key)) byKey.delete(byKey.keys().next().value as string)
  byKey.set(key, answer)
}

/** Credentials and impersonation a request may send as parameters: a read of the same URL would not send them. */
const CALLER_PARAMS = ['private_token', 'access_token', 'job_token', 'sudo']

/** A write's answer waiting for the read it answers: the parts of that read's key, and the answer (until the token's expiry is added). */
interface Written {
  key: readonly [version: string, origin: string, url: string, privateToken: string, authorization: string, sudo: string]
  answer: KeptAnswer
}

/** The last write's answer per store (a write answers one runner; the next write of the store replaces it). */
const written = new WeakMap<Store, Written>()

/**
 * Keep a write's answer as the answer to a GET of the same URL with the same credential headers (the answer key
 * holds no method): for a write whose successful answer is what that read gives next, and whose handler named
 * how long it holds (`answerValidUntil`). Not when the URL has a query or the caller was named by parameters:
 * the read's answer then depends on what the write's request carried and the read's would not. The answer waits
 * beside the store (the last write's only) and joins the kept answers when that read comes: a write pays for no
 * key, and writes no read follows pay for nothing more.
 */
export function keepWrittenAnswer(c: Context<AppEnv>, store: Store, res: Response): void {
  if (c.req.url.includes('?')) return
  const params = c.get('params')
  if (params !== undefined && CALLER_PARAMS.some((name) => params[name] !== undefined)) return
  // The token's expiry is added when the read comes (adoptWritten).
  const answer = answerOf(c, store, res, store.now(), Infinity)
  if (answer === undefined) return
  written.set(store, {
    key: [store.profile.version, c.get('externalOrigin'), c.req.url, c.req.header('private-token') ?? '', c.req.header('authorization') ?? '', c.req.header('sudo') ?? ''],
    answer,
  })
}

/** The waiting write's answer, if this read (its key) is the one it answers and it still holds: then kept under the key. */
function adoptWritten(c: Context<AppEnv>, store: Store, key: string): KeptAnswer | undefined {
  const waiting = written.get(store)
  if (waiting === undefined || key !== keyOf(...waiting.key)) return undefined
  written.delete(store)
  const answer = waiting.answer
  if (!holds(store, answer)) return undefined
  // The read sends the write's credentials (the same key): its token's expiry bounds the answer.
  answer.tokenUntil = tokenExpiry(c, store)
  answer.until = Math.min(answer.until, answer.tokenUntil)
  put(store, key, answer)
  return answer
}

function tokenExpiry(c: Context<AppEnv>, store: Store): number {
  let expiry = Infinity
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const params = c.get('params') ?? {}
  for (const candidate of [c.req.header('private-token'), bearer, params.private_token, params.access_token]) {
    if (typeof candidate !== 'string') continue
    const pat = store.personalAccessToken(candidate.trim())
    if (pat?.expiresAt != null && pat.expiresAt < expiry) expiry = pat.expiresAt
  }
  return expiry
}
