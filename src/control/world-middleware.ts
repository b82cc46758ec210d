/**
 * @module The app's first middleware: choose the world a request is addressed to (`/-/worlds/<name>`
 * or the default), put it on the context, then (unless the world is passive) apply its fault rules
 * and throttle and journal what was answered. Control-API calls are never faulted or journaled.
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import type { AppEnv } from '../http/env.js'
import { limitBody, readParams } from '../http/params.js'
import { requestId } from '../http/request-id.js'
import { CONTROL_PREFIX } from './routes.js'
import { matchedEndpoint } from './endpoint.js'
import { cannedResponse, unavailableResponse, type FaultRule } from './faults.js'
import { BODY_KEEP, type HeaderSource } from './journal.js'
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

/** Start of the path in an absolute URL. */
function pathStart(url: string): number {
  return url.indexOf('/', url.indexOf('://') + 3)
}

type Incoming = { headers: Record<string, string | string[] | undefined>; socket?: { destroy(): void } }
const incomingOf = (c: Context): Incoming | undefined => (c.env as { incoming?: Incoming } | undefined)?.incoming

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// @hono/node-server's Response keeps a string body under a private symbol until it is sent: reading it there
// costs nothing, where clone().text() would turn it into a web stream for every journaled request.
let bodySymbol: symbol | undefined
function responseText(res: Response): string | undefined | Promise<string> {
  bodySymbol ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache')
  const cached = bodySymbol === undefined ? undefined : (res as unknown as Record<symbol, unknown[] | undefined>)[bodySymbol]
  if (cached) {
    const body = cached[1]
    if (typeof body === 'string') return body.length > BODY_KEEP ? body.slice(0, BODY_KEEP) : body
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

/** At most BODY_KEEP bytes of text as UTF-8 outside the JS heap (a cut multi-byte character decodes as U+FFFD). */
function keep(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined
  return Buffer.from(text.length > BODY_KEEP ? text.slice(0, BODY_KEEP) : text).subarray(0, BODY_KEEP)
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

export function worldMiddleware(options: WorldMiddlewareOptions): MiddlewareHandler<AppEnv> {
  const { registry, external, bodyLimit, logging, onError } = options
  const rest = (c: Context<AppEnv>, next: Next) => (logging ? next() : limitBody(c, next))

  /** Faults, throttle, the route, and the journal entry for what was answered. */
  async function serveActive(c: Context<AppEnv>, next: Next, hosted: HostedWorld): Promise<Response | void> {
    const started = performance.now()
    const at = Date.now()
    const journal = hosted.journal
    const endpoint = matchedEndpoint(c)
    let answer: Response | undefined
    let fault: number | null = null
    let closed = false
    // In-process (app.request) answers are web Responses whose body only a clone could read: remember what c.json sent instead.
    let sent: { object: unknown; res: Response } | undefined
    if (!incomingOf(c)) {
      const json = c.json
      c.json = ((object: unknown, ...rest: unknown[]) => {
        const res = (json as (...a: unknown[]) => Response)(object, ...rest)
        sent = { object, res }
        return res
      }) as typeof c.json
    }
    try {
      const tokens = hosted.faults.size > 0 && hosted.faults.needsTokens ? await callerTokens(c) : undefined
      const rule = hosted.faults.size === 0 ? undefined : hosted.faults.take({ method: c.req.method, path: c.req.path, endpoint, tokens: () => tokens ?? [] })
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
      if (!answer) await rest(c, next)
    } catch (error) {
      c.res = await onError(error, c)
    }
    const res = answer ?? c.res
    if (journal.enabled) {
      const text = closed ? undefined : sent?.res === res ? JSON.stringify(sent.object).slice(0, BODY_KEEP) : responseText(res)
      const requestBody = c.get('requestBody')
      const url = c.req.url
      const q = url.indexOf('?')
      journal.record({
        seq: journal.nextSeq(),
        at,
        worldAt: hosted.world.clock.now(),
        method: c.req.method,
        path: c.req.path,
        query: q === -1 ? '' : url.slice(q + 1),
        endpoint,
        status: closed ? 0 : res.status, // 0: the connection was closed without an answer
        durationMs: performance.now() - started,
        headers: (incomingOf(c)?.headers ?? c.req.raw.headers) as HeaderSource,
        requestBody: requestBody?.subarray(0, BODY_KEEP),
        responseBody: keep(typeof text === 'object' ? await text : text),
        fault,
        requestId: c.get('requestId'),
      })
    }
    return answer
  }

  return (c, next) => {
    const id = requestId()
    c.set('requestId', id)
    c.header('X-Request-Id', id)
    const url = c.req.url
    const start = pathStart(url)
    let hosted = registry.default
    let origin = external ?? url.slice(0, start)
    if (url.startsWith('/-/worlds', start)) {
      const q = url.indexOf('?', start)
      const target = worldOfPath(url.slice(start, q === -1 ? undefined : q).replace(/^\/{2,}/, '/'))
      if (target === 'invalid') return Promise.resolve(c.json({ message: WORLD_NAME_RULE }, 400))
      if (target) {
        try {
          hosted = registry.get(target.name)
        } catch (error) {
          if (error instanceof WorldLimitError) return Promise.resolve(c.json({ message: error.message }, 503))
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
    if (c.req.path.startsWith(CONTROL_PREFIX)) return rest(c, next)
    hosted.requests++
    if (hosted === registry.default) return hosted.passive ? rest(c, next) : serveActive(c, next, hosted)
    hosted.inFlight++
    return (hosted.passive ? rest(c, next) : serveActive(c, next, hosted)).finally(() => hosted.inFlight--)
  }
}
