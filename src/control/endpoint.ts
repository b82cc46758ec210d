/**
 * @module The endpoint a request matched, named as the journal and fault rules name it:
 * `GET /api/v4/runners/:id`, or null when no route matched. The one place that knows how routes are
 * found: the first matched route that would answer, skipping endpoint-table entries the world's
 * GitLab version does not have (they pass the request on).
 */
import type { Context } from 'hono'
import { HonoRequest } from 'hono/request'
import { matchedRoutes } from 'hono/route'
import { declaredPath, endpointOfHandler, isAvailable } from '../http/endpoint.js'
import type { AppEnv } from '../http/env.js'

type Route = ReturnType<typeof matchedRoutes>[number]

/** Each route's name, made once: the journal keeps it for every entry, and one string per request would outlive the young generation. */
const NAMES = new WeakMap<Route, string>()

function nameOf(route: Route): string {
  let name = NAMES.get(route)
  if (name === undefined) NAMES.set(route, (name = `${route.method} ${declaredPath(route)}`))
  return name
}

/**
 * The list of routes Hono matched for a request, kept by its request under a private symbol (found once, by the one
 * symbol-keyed getter its class has), or undefined if a Hono version keeps it otherwise. The app's router
 * (src/http/memo-router.ts) gives the same list for the same method and path, so the list names its answer.
 */
const MATCH_RESULT = ((): symbol | undefined => {
  const symbols = Object.getOwnPropertySymbols(HonoRequest.prototype).filter((s) => typeof Object.getOwnPropertyDescriptor(HonoRequest.prototype, s)?.get === 'function')
  return symbols.length === 1 ? symbols[0] : undefined
})()
export function matchedRouteList(c: Context): object | undefined {
  if (MATCH_RESULT === undefined) return undefined
  const result = (c.req as unknown as Record<symbol, unknown>)[MATCH_RESULT]
  // Stryker disable next-line ConditionalExpression,LogicalOperator: defence against another Hono keeping something else there
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0] : undefined
}

/**
 * Each list's endpoint for the GitLab version last asked (a gated entry answers in some versions only). Finding it
 * (a list of routes made, a lookup per route) cost a read answered from kept text 1.4% of its CPU (details, 16
 * fresh pairs), a quarter of what the journal costs it.
 */
const ANSWERED = new WeakMap<object, Answered>()
type Answered = { version: string; name: string | null }
/** The last list asked about and its entry in ANSWERED: a client polling one route asks for it again. */
let lastList: object | undefined
let lastAnswered: Answered | undefined

/**
 * `METHOD /path/:pattern` of the route that answers this request (known before it runs), or null. `version`: its
 * world's GitLab version, which the caller holds (looking the world up in the request's context took 45–70 ns in the
 * server).
 */
export function matchedEndpoint(c: Context<AppEnv>, version: string): string | null {
  const list = matchedRouteList(c)
  if (list === undefined) return findEndpoint(c)
  let known = list === lastList ? lastAnswered : ANSWERED.get(list)
  if (known === undefined || known.version !== version) {
    known = { version, name: findEndpoint(c) }
    ANSWERED.set(list, known)
  }
  lastList = list
  lastAnswered = known
  return known.name
}

function findEndpoint(c: Context<AppEnv>): string | null {
  for (const route of matchedRoutes(c)) {
    if (route.method === 'ALL') continue // middleware
    const entry = endpointOfHandler(route.handler)
    if (entry && !isAvailable(entry, c)) continue
    return nameOf(route)
  }
  return null
}
