/**
 * @module User authentication as GitLab's API guard does it: personal access token, its expiry, revocation
 * and scopes, then sudo (gitlab-behaviour.md §6.4). Which scopes a request accepts is a rule of the version
 * profile: `manage_runner` on the /runners/:id… routes (17.1+), `create_runner` on POST /user/runners (16.2+).
 */
import { ForbiddenError, ForbiddenReason, InsufficientScopeError, InvalidTokenError, NotFoundError, UnauthorizedError } from './errors.js'
import type { Actor } from './permissions.js'
import type { Store } from './store.js'

export interface Credentials {
  /** From PRIVATE-TOKEN, Authorization: Bearer, private_token or access_token. */
  token?: string
  /** From the Sudo header or the sudo parameter. */
  sudo?: string
  /** The HTTP method: read_api covers only GET and HEAD. */
  method: string
  /** The request path (`/api/v4/runners/7`): the manage_runner scope is valid on some paths only. */
  path?: string
  /** The scopes the endpoint accepts (its table entry); default `api`, plus `read_api` for GET and HEAD. */
  scopes?: readonly string[]
}

const READ_METHODS = new Set(['GET', 'HEAD'])
const READ_SCOPES: readonly string[] = ['api', 'read_api']
const WRITE_SCOPES: readonly string[] = ['api']

/**
 * Routes whose path is `/api/v4/runners/<something>` and that take a runner `:id` (details, PUT, DELETE, jobs,
 * managers, projects, reset_authentication_token): where GitLab 17.1+ accepts manage_runner
 * (`allow_access_with_scope`, gitlab-versions.md §2.8). Not the lists, not /runners/all, not the resets by token.
 */
const MANAGE_RUNNER_PATH = /^\/api\/v4\/runners\/(?!all$|all\/|reset_registration_token$|verify$|managers$|reset_authentication_token$)[^/]+(?:\/[^/]+)?\/?$/

/** Whether a token scoped to manage_runner may call this path in this version. */
export function acceptsManageRunnerScope(store: Store, path: string | undefined): boolean {
  return store.profile.manageRunnerScope && path !== undefined && MANAGE_RUNNER_PATH.test(path)
}

/** The scopes that grant a request, in the order GitLab lists them in `insufficient_scope`. */
function scopesFor(store: Store, credentials: Credentials, extra: readonly string[]): string[] {
  // The endpoint table's scopes for the entry, else by method: api, and read_api for reads.
  const allowed = [...(credentials.scopes ?? (READ_METHODS.has(credentials.method.toUpperCase()) ? READ_SCOPES : WRITE_SCOPES))]
  if (acceptsManageRunnerScope(store, credentials.path)) allowed.push('manage_runner')
  return extra.length === 0 ? allowed : [...allowed, ...extra]
}

/** The acting user, or a typed error: 401 before anything else, then scope, then sudo. */
export function authenticateUser(store: Store, credentials: Credentials): Actor {
  return authenticate(store, credentials, [])
}

/**
 * POST /user/runners: like authenticateUser, and a token with only the create_runner scope is enough from
 * the version that has it (16.2+; POST only, so read_api never is).
 */
export function authenticateRunnerCreator(store: Store, credentials: Credentials): Actor {
  return authenticate(store, credentials, store.profile.createRunnerScope ? ['create_runner'] : [])
}

function authenticate(store: Store, credentials: Credentials, extraScopes: readonly string[]): Actor {
  const token = credentials.token ? store.personalAccessToken(credentials.token) : undefined
  const owner = token ? store.user(token.userId) : undefined
  if (!token || !owner || owner.state !== 'active') throw new UnauthorizedError()
  if (token.expiresAt !== null && token.expiresAt <= store.now()) throw new InvalidTokenError('expired')
  if (token.revoked) throw new InvalidTokenError('revoked')
  const allowed = scopesFor(store, credentials, extraScopes)
  if (!token.scopes.some((s) => allowed.includes(s))) throw new InsufficientScopeError(allowed)

  if (credentials.sudo === undefined || credentials.sudo === '') return { user: owner, isAdmin: owner.isAdmin }
  if (!owner.isAdmin) throw new ForbiddenError(ForbiddenReason.sudoNotAdmin)
  if (!token.scopes.includes('sudo')) throw new InsufficientScopeError(['sudo'])
  const target = /^\d+$/.test(credentials.sudo)
    ? store.user(Number(credentials.sudo))
    : store.userByUsername(credentials.sudo)
  if (!target) throw new NotFoundError(`User with ID or username '${credentials.sudo}'`)
  return { user: target, isAdmin: target.isAdmin }
}

/** Like authenticateUser, but a request without any token is anonymous (null) instead of a 401. */
export function authenticateOptionalUser(store: Store, credentials: Credentials): Actor | null {
  if (!credentials.token) return null
  return authenticateUser(store, credentials)
}
