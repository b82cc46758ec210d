/**
 * @module The endpoint a request matched, named as the journal and fault rules name it:
 * `GET /api/v4/runners/:id`, or null when no route matched. The one place that knows how routes are
 * found: the first matched route that would answer, skipping endpoint-table entries the world's
 * GitLab version does not have (they pass the request on).
 */
import type { Context } from 'hono'
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

/** `METHOD /path/:pattern` of the route that answers this request (known before it runs), or null. */
export function matchedEndpoint(c: Context<AppEnv>): string | null {
  for (const route of matchedRoutes(c)) {
    if (route.method === 'ALL') continue // middleware
    const entry = endpointOfHandler(route.handler)
    if (entry && !isAvailable(entry, c)) continue
    return nameOf(route)
  }
  return null
}
