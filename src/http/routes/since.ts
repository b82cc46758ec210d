/**
 * @module Endpoint availability by GitLab version until the endpoint table declares it: a route that the
 * emulated version does not have passes the request on, to the next matching route or to Grape's 404.
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { inVersionRange, type GitLabVersion } from '../../domain/gitlab-version.js'
import type { AppEnv } from '../env.js'

type Handler = (c: Context<AppEnv>, next: Next) => Response | void | Promise<Response | void>

/**
 * The route's handlers (middleware first, as in `app.get(path, ...handlers)`), run only when the emulated
 * version has the endpoint (`since` ≤ version); otherwise the request goes on as if the route were not
 * mounted. The check comes before authentication: an endpoint a version lacks is a 404 to everyone.
 */
export function availableSince(since: GitLabVersion, ...handlers: Handler[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!inVersionRange(c.get('world').profile.version, since)) return next()
    const run = async (i: number): Promise<void> => {
      const handler = handlers[i]
      if (!handler) return next()
      const res = await handler(c, () => run(i + 1))
      if (res instanceof Response) c.res = res
    }
    await run(0)
  }
}
