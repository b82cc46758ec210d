/** @module Reading user credentials from a request (headers in any case, or parameters) and putting the acting user on the context, as an endpoint's `auth` declares. */
import type { Context } from 'hono'
import { authenticateOptionalUser, authenticateUser, type Credentials } from '../domain/auth.js'
import type { AppEnv } from './env.js'
import { hasNoBody, queryParams, readParams, type RawParams } from './params.js'

/**
 * How an endpoint authenticates its caller. `user`: a personal access token with one of `scopes`
 * (401 before any parameter validation, as GitLab's `before { authenticate! }`); `optional-user`: the
 * same when a token is sent, anonymous otherwise; `runner-token` and `registration-token`: a `token`
 * parameter the domain operation checks (after the parameters); `none`.
 */
export type EndpointAuth =
  | { readonly kind: 'user'; readonly scopes: readonly string[] }
  | { readonly kind: 'optional-user'; readonly scopes: readonly string[] }
  | { readonly kind: 'runner-token' }
  | { readonly kind: 'registration-token' }
  | { readonly kind: 'none' }

/** A user token with `api` or `read_api` (GitLab's read endpoints). */
export const USER_READ: EndpointAuth = { kind: 'user', scopes: ['api', 'read_api'] }
/** A user token with `api` (every write). */
export const USER_WRITE: EndpointAuth = { kind: 'user', scopes: ['api'] }
/** The /runners/:id… reads: also a `manage_runner` token from GitLab 17.1 (earlier versions ignore the scope; domain/auth.ts). */
export const RUNNER_READ: EndpointAuth = { kind: 'user', scopes: ['api', 'read_api', 'manage_runner'] }
/** The /runners/:id… writes: `api`, or `manage_runner` from GitLab 17.1. */
export const RUNNER_WRITE: EndpointAuth = { kind: 'user', scopes: ['api', 'manage_runner'] }
/** POST /user/runners: `api`, or `create_runner` from GitLab 16.2. */
export const RUNNER_CREATE: EndpointAuth = { kind: 'user', scopes: ['api', 'create_runner'] }
/** Anonymous allowed; a token, when sent, needs `api` or `read_api`. */
export const ANYONE_READ: EndpointAuth = { kind: 'optional-user', scopes: ['api', 'read_api'] }
export const RUNNER_TOKEN: EndpointAuth = { kind: 'runner-token' }
export const REGISTRATION_TOKEN: EndpointAuth = { kind: 'registration-token' }

function credentialsFrom(c: Context<AppEnv>, params: RawParams, scopes: readonly string[] | undefined): Credentials {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const param = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined)
  const token = c.req.header('private-token') ?? bearer ?? param('private_token') ?? param('access_token')
  const sudo = c.req.header('sudo') ?? param('sudo')
  return { token: token?.trim(), sudo: sudo?.trim(), method: c.req.method, scopes }
}

/** Sets the acting user on the context (or throws); a promise only when a body must be read first. */
export type Authenticator = (c: Context<AppEnv>) => void | Promise<void>

const noAuthentication: Authenticator = () => undefined

/** The authenticator of an endpoint's `auth`. A request without a body is authenticated synchronously (the hot path of every read). */
export function authenticatorFor(auth: EndpointAuth): Authenticator {
  if (auth.kind !== 'user' && auth.kind !== 'optional-user') return noAuthentication
  const { scopes } = auth
  const authenticate = auth.kind === 'user' ? authenticateUser : authenticateOptionalUser
  return (c) => {
    if (hasNoBody(c)) {
      c.set('actor', authenticate(c.get('world').store, credentialsFrom(c, queryParams(c), scopes)))
      return
    }
    return readParams(c).then((params) => {
      c.set('actor', authenticate(c.get('world').store, credentialsFrom(c, params, scopes)))
    })
  }
}
