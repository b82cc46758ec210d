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
  /**
   * The scopes the endpoint accepts (its table entry); default `api`, plus `read_api` for GET and HEAD.
   * Scopes a version does not have yet (`manage_runner` before 17.1, `create_runner` before 16.2) are ignored.
   */
  scopes?: readonly string[]
}

const READ_METHODS = new Set(['GET', 'HEAD'])
const READ_SCOPES: readonly string[] = ['api', 'read_api']
const WRITE_SCOPES: readonly string[] = ['api']

/** Token scopes that exist only from some version on, and the profile rule that says whether this one has them. */
const VERSIONED_SCOPES: Readonly<Record<string, 'manageRunnerScope' | 'createRunnerScope'>> = {
  // /runners/:id… routes (gitlab-versions.md §2.8), 17.1+.
  manage_runner: 'manageRunnerScope',
  // POST /user/runners, 16.2+ (the reference says 16.1 or 16.2).
  create_runner: 'createRunnerScope',
}

/** The declared scopes this version knows, in the declared order (the order `insufficient_scope` lists them). */
export function scopesInForce(store: Store, declared: readonly string[]): readonly string[] {
  if (!declared.some((s) => s in VERSIONED_SCOPES)) return declared
  return declared.filter((s) => {
    const rule = VERSIONED_SCOPES[s]
    return rule === undefined || store.profile[rule]
  })
}

/** The acting user, or a typed error: 401 before anything else, then scope, then sudo. */
export function authenticateUser(store: Store, credentials: Credentials): Actor {
  const token = credentials.token ? store.personalAccessToken(credentials.token) : undefined
  const owner = token ? store.user(token.userId) : undefined
  if (!token || !owner || owner.state !== 'active') throw new UnauthorizedError()
  if (token.expiresAt !== null && token.expiresAt <= store.now()) throw new InvalidTokenError('expired')
  if (token.revoked) throw new InvalidTokenError('revoked')
  const allowed = scopesInForce(store, credentials.scopes ?? (READ_METHODS.has(credentials.method.toUpperCase()) ? READ_SCOPES : WRITE_SCOPES))
  if (!token.scopes.some((s) => allowed.includes(s))) throw new InsufficientScopeError([...allowed])

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
