/** @module Typed errors thrown by domain rules and input parsing; http/errors.ts is the one place that turns them into GitLab's responses. */

/** Base class: every error GitLab answers deliberately. */
export abstract class GitLabError extends Error {
  abstract readonly status: number
  /** The exact JSON body GitLab sends: `{"message": …}` unless a subclass says otherwise. */
  body(): Record<string, unknown> {
    return { message: this.message }
  }
}

/** 404. Without a resource: the raising finder's `404 Not found`; with one: `404 <Resource> Not Found`. */
export class NotFoundError extends GitLabError {
  readonly status = 404
  constructor(readonly resource?: 'Runner' | 'Project' | 'Group' | 'User' | string) {
    super(resource ? `404 ${resource} Not Found` : '404 Not found')
  }
}

/** Unknown route: Grape's catch-all answers with the `error` key. */
export class RouteNotFoundError extends GitLabError {
  readonly status = 404
  constructor() {
    super('404 Not Found')
  }
  override body() {
    return { error: this.message }
  }
}

/** 403 `403 Forbidden` or `403 Forbidden - <reason>`. */
export class ForbiddenError extends GitLabError {
  readonly status = 403
  constructor(readonly reason?: string) {
    super(reason ? `403 Forbidden - ${reason}` : '403 Forbidden')
  }
}

/** The reasons GitLab gives with a 403 on runner endpoints (gitlab-behaviour.md §6.2). */
export const ForbiddenReason = {
  noAccess: 'No access granted',
  multipleProjects: 'Runner associated with more than one project',
  groupRunner: 'Runner is a group runner',
  locked: 'Runner is locked',
  onlyOneProject: 'Only one project associated with the runner. Please remove the runner instead',
  sudoNotAdmin: 'Must be admin to use sudo',
  sudoNeedsToken: 'Must be authenticated using an OAuth or Personal Access Token to use sudo',
} as const

/** 401 for a missing or unknown token. */
export class UnauthorizedError extends GitLabError {
  readonly status = 401
  constructor() {
    super('401 Unauthorized')
  }
}

/** 401 for an expired or revoked token, in the OAuth error shape (api_guard.rb). */
export class InvalidTokenError extends GitLabError {
  readonly status = 401
  constructor(readonly kind: 'expired' | 'revoked') {
    super(
      kind === 'expired'
        ? 'Token is expired. You can either do re-authorization or token refresh.'
        : 'Token was revoked. You have to re-authorize from the user.',
    )
  }
  override body() {
    return { error: 'invalid_token', error_description: this.message }
  }
}

/** 403 for a token whose scopes do not cover the request (e.g. `read_api` on a write). */
export class InsufficientScopeError extends GitLabError {
  readonly status = 403
  constructor(readonly scopes: string[]) {
    super('The request requires higher privileges than provided by the access token.')
  }
  override body() {
    return { error: 'insufficient_scope', error_description: this.message, scope: this.scopes.join(' ') }
  }
}

/** 400 from Grape's parameter validation: `{"error":"id is invalid"}`; several problems joined by `, `. */
export class ParamError extends GitLabError {
  readonly status = 400
  constructor(readonly problems: string[]) {
    super(problems.join(', '))
  }
  override body() {
    return { error: this.message }
  }
}

/** 400 from a model validation: `{"message":{"tags_list":["…"]}}`. */
export class ValidationError extends GitLabError {
  readonly status = 400
  constructor(readonly errors: Record<string, string[]>) {
    super(JSON.stringify(errors))
  }
  override body() {
    return { message: this.errors }
  }
}

/** 400 with a plain message, e.g. `{"message":"Scope contains invalid value"}`. */
export class BadRequestError extends GitLabError {
  readonly status = 400
  constructor(message: string) {
    super(message)
  }
}

/** 412 when `If-Unmodified-Since` is older than the resource. */
export class PreconditionFailedError extends GitLabError {
  readonly status = 412
  constructor() {
    super('412 Precondition Failed')
  }
}

/** 410 when runner registration with registration tokens is switched off. */
export class GoneError extends GitLabError {
  readonly status = 410
  constructor(reason: string) {
    super(`410 Gone - ${reason}`)
  }
}

/** 413 for a request body over the configured limit. */
export class PayloadTooLargeError extends GitLabError {
  readonly status = 413
  constructor() {
    super('413 Request Entity Too Large')
  }
}
