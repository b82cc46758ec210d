/**
 * @module The app's first middleware: choose the world a request is addressed to (`/-/worlds/<name>`
 * or the default), put it on the context, then (unless the world is passive) apply its fault rules
 * and throttle and journal what was answered. Control-API calls are never faulted or journaled.
 */
import type { Context, Handler, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/env.js'
import { limitBody, readParams } from '../http/params.js'
import { pathStart, requestPath } from '../http/request-path.js'
import { requestId } from '../http/request-id.js'
import { wallTime } from '../http/request-time.js'
import { CONTROL_PREFIX } from './routes.js'
import { matchedEndpoint } from './endpoint.js'
import { BODY_KEEP } from './journal.js'
import { cannedResponse, unavailableResponse, type FaultRule } from './faults.js'
import { presetRateLimited, throttledResponse } from './rate-limit.js'
import { WORLD_NAME_RULE, WorldLimitError, worldOfPath, type HostedWorld, type WorldRegistry } from './worlds.js'

export interface WorldMiddlewareOptions {
  registry: WorldRegistry
  /** Configured external URL (no trailing slash), else each request's origin. */
  external: string | undefined
  bodyLimit: number
  /** Request logging runs as the next middleware (it then applies the body limit itself). */
  logging: boolean
  onError: (error: unknown, c: Context) => Response | Promise<Response>
}

type Incoming = { headers: Record<string, string | string[] | undefined>; rawHeaders: string[]; url: string; socket?: { destroy(): void } }
/** What c.json sent in-process (its body is read from here instead of a clone). */
type Sent = { object: unknown; res: Response }
const incomingOf = (c: Context): Incoming | undefined => (c.env as { incoming?: Incoming } | undefined)?.incoming
type Outgoing = { setHeader(name: string, value: string): unknown; headersSent: boolean }
const outgoingOf = (c: Context): Outgoing | undefined => (c.env as { outgoing?: Outgoing } | undefined)?.outgoing

/**
 * An answer as it leaves, with its X-Request-Id: every answer carries one. Answers from ready text
 * (src/http/reply.ts) and errors (src/http/errors.ts) carry it themselves. Over a socket, any other answer gets it on
 * Node's response, unless that is already sent (wrappers installed on each request's context to add it instead made
 * the young-generation collector keep whole requests alive in a world of thousands of runners: about 2 KB a request
 * reached the old generation). In-process there is no Node response, and the answer's own headers take it. A
 * network error (`Response.error()`, a reset or timeout fault in-process) has no headers to carry it. `ready`: whether
 * the answer was made from ready text, where the caller knows (each context lookup, `c.get`, took 40–70 ns in the server).
 */
function delivered(c: Context<AppEnv>, res: Response, ready?: boolean): Response {
  const outgoing = outgoingOf(c)
  if (outgoing !== undefined) {
    if (!(ready ?? c.get('replied')?.res === res) && !outgoing.headersSent) outgoing.setHeader('X-Request-Id', c.get('requestId'))
  } else if (res.type !== 'error' && !res.headers.has('x-request-id')) res.headers.set('X-Request-Id', c.get('requestId'))
  return res
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// @hono/node-server's Response keeps a string body under a private symbol until it is sent: reading it there
// costs nothing, where clone().text() would turn it into a web stream for every journaled request.
let bodySymbol: symbol | undefined
function responseText(res: Response): string | undefined | Promise<string> {
  bodySymbol ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache')
  const cached = bodySymbol === undefined ? undefined : (res as unknown as Record<symbol, unknown[] | undefined>)[bodySymbol]
  if (cached) {
    const body = cached[1]
    if (typeof body === 'string') return body // the journal cuts it
    if (body === null) return undefined
    if (body instanceof Uint8Array) return new TextDecoder().decode(body.subarray(0, BODY_KEEP))
    return undefined
  }
  if (res.body === null || res.bodyUsed) return undefined
  return res
    .clone()
    .text()
    .then((t) => t.slice(0, BODY_KEEP))
}

const TOKEN_HEADERS = ['private-token', 'job-token', 'runner-token']
const TOKEN_PARAMS = ['private_token', 'access_token', 'job_token', 'token']

/** The credentials a request carries: token headers, a bearer token, token parameters in the query or body. */
async function callerTokens(c: Context<AppEnv>): Promise<string[]> {
  const out: string[] = []
  for (const h of TOKEN_HEADERS) {
    const v = c.req.header(h)
    if (v) out.push(v)
  }
  const auth = /^\s*bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')
  if (auth) out.push(auth[1] as string)
  const params = await readParams(c)
  for (const p of TOKEN_PARAMS) if (typeof params[p] === 'string') out.push(params[p] as string)
  return out
}

/** The user a personal access token names, as GitLab's authenticated-API throttle keys it. */
function throttleKey(c: Context<AppEnv>, hosted: HostedWorld): string | undefined {
  const auth = /^\s*bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')
  const token = c.req.header('private-token') ?? auth?.[1] ?? c.req.query('private_token') ?? c.req.query('access_token')
  const pat = token ? hosted.world.store.personalAccessToken(token) : undefined
  return pat ? `user:${pat.userId}` : undefined
}

/** What a fault rule answers instead of the route (undefined: a delay, then the normal answer). */
async function applyFault(c: Context<AppEnv>, rule: FaultRule): Promise<Response | undefined> {
  const e = rule.effect
  switch (e.kind) {
    case 'respond':
      return cannedResponse(e)
    case 'delay':
      await sleep(e.ms)
      return undefined
    case 'rate_limited':
      return presetRateLimited(e.retryAfter, Date.now())
    case 'unavailable':
      return unavailableResponse(e.status)
    case 'timeout':
      await sleep(e.holdMs)
      return closeConnection(c)
    case 'reset':
      return closeConnection(c)
  }
}

/** Destroy the socket (no answer is sent); in-process, where there is none, a network-error response. */
function closeConnection(c: Context): Response {
  const socket = incomingOf(c)?.socket
  if (!socket) return Response.error()
  socket.destroy()
  return new Response(null, { status: 204 }) // never sent: the socket is gone
}

/** An answer as it leaves: a Response now, or later. */
type Outcome = Response | Promise<Response>
/** What a route's handler or the rest of the chain returns: its answer (see Settle), now or later. */
type Run = () => unknown
/**
 * The Response a run answered (a handler that passed the request on, or the middleware chain, leaves it in c.res).
 * Applied in the same continuation that journals the answer and gives it its id (delivered): each `.then` between
 * a route's promise and the adapter is a turn of the microtask queue that every write pays.
 */
type Settle = (answer: unknown) => Response

export interface WorldServer {
  /**
   * Middleware form, for the route groups outside the endpoint table (control API, health, pages, the
   * not-found answer) and, when requests are logged, for every request.
   */
  middleware: MiddlewareHandler<AppEnv>
  /**
   * One route handler that picks its world itself. With no app-wide middleware in front, Hono runs a
   * route that is the only match for its path directly, and a handler that answers synchronously (cached
   * texts) goes out without a promise. A handler reached after the world was picked (request logging
   * on, or a version-gated entry passing the request on) just runs.
   */
  wrap(handler: Handler<AppEnv>): Handler<AppEnv>
}

/** A run's answer as it leaves (delivered), now or in one continuation. */
function settled(c: Context<AppEnv>, out: unknown, settle: Settle): Outcome {
  return out instanceof Promise ? out.then((answer) => delivered(c, settle(answer))) : delivered(c, settle(out))
}

/** The body limit on a route reached without the middleware chain: 413 for a declared length over it. */
function overBodyLimit(c: Context<AppEnv>): Promise<never> | undefined {
  const declared = c.req.header('content-length')
  if (declared === undefined) return undefined
  const limit = c.get('bodyLimit')
  return Number(declared) > limit ? (limitBody(c, () => Promise.resolve()) as Promise<never>) : undefined
}

export function worldServer(options: WorldMiddlewareOptions): WorldServer {
  const { registry, external, bodyLimit, logging, onError } = options

  /**
   * The journal entry for an answer, then the answer as it leaves (delivered). `started`: performance.now() when the
   * request arrived; `at`: its wall-clock time; `id`: its request id; `fault`: the rule that answered or delayed it;
   * `closed`: the connection was closed instead of answered.
   * Clock reads are what a journaled request pays most for besides the entry (50–76 ns each on a VM's clock): one
   * more than any request's, for the end of its duration (its start is the read its id was made from, its world time
   * derived from that).
   */
  function finish(c: Context<AppEnv>, hosted: HostedWorld, res: Response, started: number, at: number, id: string, fault: number | null, closed: boolean, sent: Sent | undefined): Outcome {
    const journal = hosted.journal
    if (!journal.enabled) return delivered(c, res)
    const replied = c.get('replied')
    const ready = replied?.res === res
    // The text an answer was made from, where known (no clone of a web Response in-process).
    const text = closed ? undefined : ready ? replied.body : sent !== undefined && sent.res === res ? JSON.stringify(sent.object) : responseText(res)
    if (typeof text === 'object') return text.then((body) => record(c, hosted, res, performance.now() - started, at, id, fault, closed, body, ready))
    return record(c, hosted, res, performance.now() - started, at, id, fault, closed, text, ready)
  }

  /**
   * The journal entry: a polling client's repeat (the newest entry's request sent again) takes the newest entry's
   * route without looking for it (Journal#repeat); anything else is appended with the route its request matched.
   * Looking for it cost 0.1 µs on the list, where its route list is answered first (timed in the server: 160 ns with
   * the timer's 50); with the repeat's taken, this function went from 0.39 to 0.30 µs on the list and from 0.36 to
   * 0.27 µs on details (timed around it in the server, alternated with the build before).
   */
  function record(
    c: Context<AppEnv>, hosted: HostedWorld, res: Response, durationMs: number, at: number, id: string, fault: number | null, closed: boolean, text: string | undefined, ready: boolean,
  ): Response {
    const journal = hosted.journal
    const incoming = incomingOf(c)
    const seq = journal.nextSeq()
    const worldAt = hosted.world.clock.at(at)
    const method = c.req.method
    const target = incoming ? incoming.url : c.req.url // the request as sent (its query read from it): the same one again shares its texts
    const version = hosted.world.profile.version
    const status = closed ? 0 : res.status // 0: the connection was closed without an answer
    const headers = incoming ? incoming.rawHeaders : c.req.raw.headers
    const requestBody = c.get('requestBody')
    if (!journal.repeat(seq, at, worldAt, method, target, version, status, durationMs, headers, requestBody, text, fault, id))
      journal.append(seq, at, worldAt, method, c.req.path, target, matchedEndpoint(c, version), status, durationMs, headers, requestBody, text, fault, id, version)
    return delivered(c, res, ready)
  }

  /** Faults, throttle, the route, and the journal entry for what was answered (`at`: the request's wall-clock time; `started`: its performance.now(); `id`: its request id). */
  function serveActive(c: Context<AppEnv>, run: Run, settle: Settle, hosted: HostedWorld, at: number, started: number, id: string): Outcome {
    // In-process (app.request) answers are web Responses whose body only a clone could read: remember what c.json sent instead.
    let sent: Sent | undefined
    if (!incomingOf(c) && hosted.journal.enabled) {
      const json = c.json
      c.json = ((object: unknown, ...rest: unknown[]) => {
        const res = (json as (...a: unknown[]) => Response)(object, ...rest)
        sent = { object, res }
        return res
      }) as typeof c.json
    }
    if (hosted.faults.size === 0 && hosted.throttle === null) {
      // The common case: no promise unless the route makes one, and one continuation when it does.
      let out: unknown
      try {
        out = run()
      } catch (error) {
        return failed(c, error, hosted, started, at, id, sent)
      }
      if (out instanceof Promise)
        return out.then(
          (res) => finish(c, hosted, settle(res), started, at, id, null, false, sent),
          (error) => failed(c, error, hosted, started, at, id, sent),
        )
      return finish(c, hosted, settle(out), started, at, id, null, false, sent)
    }
    return (async () => {
      let answer: Response | undefined
      let fault: number | null = null
      let closed = false
      try {
        const tokens = hosted.faults.size > 0 && hosted.faults.needsTokens ? await callerTokens(c) : undefined
        const rule = hosted.faults.size === 0 ? undefined : hosted.faults.take({ method: c.req.method, path: c.req.path, endpoint: matchedEndpoint(c, hosted.world.profile.version), tokens: () => tokens ?? [] })
        if (rule) {
          fault = rule.id
          answer = await applyFault(c, rule)
          closed = rule.effect.kind === 'timeout' || rule.effect.kind === 'reset'
        }
        if (!answer && hosted.throttle && c.req.path.startsWith('/api/')) {
          const key = throttleKey(c, hosted)
          const match = key === undefined ? undefined : hosted.throttle.hit(key, Date.now())
          if (match) answer = throttledResponse(match)
        }
        if (!answer) answer = settle(await run())
      } catch (error) {
        answer = await onError(error, c)
      }
      return finish(c, hosted, answer, started, at, id, fault, closed, sent)
    })()
  }

  /** An error a route threw or rejected with, answered (its answer taken as it is, not settled), journaled and delivered. */
  function failed(c: Context<AppEnv>, error: unknown, hosted: HostedWorld, started: number, at: number, id: string, sent: Sent | undefined): Outcome {
    const res = onError(error, c)
    return res instanceof Promise ? res.then((answer) => finish(c, hosted, answer, started, at, id, null, false, sent)) : finish(c, hosted, res, started, at, id, null, false, sent)
  }

  /**
   * Give the request its id, then serve it in its world. One clock read: the monotonic one its duration starts from,
   * its wall-clock time (its id's, its journal entry's) derived from it.
   */
  function serve(c: Context<AppEnv>, run: Run, settle: Settle): Outcome {
    const started = performance.now()
    const at = wallTime(started)
    const id = requestId(at)
    c.set('requestId', id)
    return serveWorld(c, run, settle, at, started, id)
  }

  /** Pick the world (a 400 or 503 answer when the name is bad or no world can be made), then serve the request in it. */
  function serveWorld(c: Context<AppEnv>, run: Run, settle: Settle, at: number, started: number, id: string): Outcome {
    const url = c.req.url
    const start = pathStart(url)
    let hosted = registry.default
    let origin = external ?? url.slice(0, start)
    // The path the router saw (src/app.ts): its leading slashes collapsed before the world prefix is looked for.
    if (url.startsWith('/-/worlds', start) || url.charCodeAt(start + 1) === 47) {
      const target = worldOfPath(requestPath(url, start))
      if (target === 'invalid') return delivered(c, c.json({ message: WORLD_NAME_RULE }, 400))
      if (target) {
        try {
          hosted = registry.get(target.name)
        } catch (error) {
          if (error instanceof WorldLimitError) return delivered(c, c.json({ message: error.message }, 503))
          throw error
        }
        origin += hosted.prefix
      }
    }
    c.set('world', hosted.world)
    c.set('hosted', hosted)
    c.set('actor', null)
    c.set('bodyLimit', bodyLimit)
    c.set('externalOrigin', origin)
    if (c.req.path.startsWith(CONTROL_PREFIX)) return settled(c, run(), settle)
    hosted.requests++
    if (hosted === registry.default) return hosted.passive ? settled(c, run(), settle) : serveActive(c, run, settle, hosted, at, started, id)
    hosted.inFlight++
    let out: Outcome
    try {
      out = hosted.passive ? settled(c, run(), settle) : serveActive(c, run, settle, hosted, at, started, id)
    } catch (error) {
      hosted.inFlight--
      throw error
    }
    if (out instanceof Promise) return out.finally(() => hosted.inFlight--)
    hosted.inFlight--
    return out
  }

  return {
    middleware: (c, next) => {
      const rest = logging ? next : () => limitBody(c, next)
      // The chain leaves its answer in c.res.
      return Promise.resolve(serve(c, rest, () => c.res))
    },
    wrap: (handler) => (c, next) => {
      // A handler that passed the request on (next()) leaves its answer in c.res; Hono's chain resolves next() to the context.
      const answered = (res: unknown): Response => (res === undefined || res === c ? c.res : (res as Response))
      if (c.get('hosted') !== undefined) {
        const out = handler(c, next) as unknown
        return out instanceof Promise ? out.then(answered) : answered(out)
      }
      return serve(c, () => overBodyLimit(c) ?? handler(c, next), answered)
    },
  }
}
