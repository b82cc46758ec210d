/** @module Reading user credentials from a request (headers in any case, or parameters) and putting the acting user on the context. */
import type { Context, MiddlewareHandler } from 'hono'
import { authenticateOptionalUser, authenticateRunnerCreator, authenticateUser, type Credentials } from '../domain/auth.js'
import type { AppEnv } from './env.js'
import { hasNoBody, queryParams, readParams, type RawParams } from './params.js'

function credentialsFrom(c: Context<AppEnv>, params: RawParams): Credentials {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const param = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined)
  const token = c.req.header('private-token') ?? bearer ?? param('private_token') ?? param('access_token')
  const sudo = c.req.header('sudo') ?? param('sudo')
  return { token: token?.trim(), sudo: sudo?.trim(), method: c.req.method, path: c.req.path }
}

/** PRIVATE-TOKEN or Authorization: Bearer, else the private_token / access_token parameter; Sudo header or sudo parameter. */
export async function readCredentials(c: Context<AppEnv>): Promise<Credentials> {
  return credentialsFrom(c, await readParams(c))
}

/**
 * Require a signed-in user: 401 before any parameter validation, as GitLab's `before { authenticate! }`.
 * A request without a body is authenticated synchronously (the hot path of every read).
 */
export const requireUser: MiddlewareHandler<AppEnv> = (c, next) => {
  if (hasNoBody(c)) {
    c.set('actor', authenticateUser(c.get('world').store, credentialsFrom(c, queryParams(c))))
    return next()
  }
  return readCredentials(c).then((credentials) => {
    c.set('actor', authenticateUser(c.get('world').store, credentials))
    return next()
  })
}

/** Resolve the user when a token is sent; anonymous otherwise (public projects and groups). */
export const optionalUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('actor', authenticateOptionalUser(c.get('world').store, await readCredentials(c)))
  await next()
}

/** POST /user/runners: requireUser, where a create_runner token is also enough from the version that has that scope. */
export const requireRunnerCreator: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('actor', authenticateRunnerCreator(c.get('world').store, await readCredentials(c)))
  await next()
}
