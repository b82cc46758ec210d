/**
 * @module The endpoint a request matched, named as the journal and fault rules name it:
 * `GET /api/v4/runners/:id`, or null when no route matched. The one place that knows how routes are
 * found (today Hono's matched routes; the endpoint table can answer it instead).
 */
import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/** `METHOD /path/:pattern` of the route that answers this request (known before it runs), or null. */
export function matchedEndpoint(c: Context): string | null {
  // Middleware is registered with method ALL; the first route with a method is the handler that answers.
  for (const route of matchedRoutes(c)) if (route.method !== 'ALL') return `${route.method} ${route.path}`
  return null
}
