/** @module The one place where errors become responses: GitLab's JSON bodies for typed errors, GitLab's 500 body (and a log line) for anything else. */
import type { Context } from 'hono'
import { GitLabError, InsufficientScopeError, InvalidTokenError, PayloadTooLargeError, RouteNotFoundError } from '../domain/errors.js'

export type ErrorLogger = (error: unknown, c: Context) => void

/** Responses built here bypass Hono's prepared headers: they carry the request id themselves. */
function withRequestId(c: Context, headers: Record<string, string>): Record<string, string> {
  const id = c.get('requestId') as string | undefined
  if (id) headers['X-Request-Id'] = id
  return headers
}

function send(c: Context, error: GitLabError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  withRequestId(c, headers)
  if (error instanceof InvalidTokenError)
    headers['WWW-Authenticate'] = `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${error.message}"`
  if (error instanceof InsufficientScopeError)
    headers['WWW-Authenticate'] = `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="${error.message}", scope="${error.scopes.join(' ')}"`
  if (error instanceof PayloadTooLargeError) headers.Connection = 'close'
  return new Response(JSON.stringify(error.body()), { status: error.status, headers })
}

export function errorHandler(log: ErrorLogger) {
  return (error: unknown, c: Context): Response => {
    if (error instanceof GitLabError) return send(c, error)
    log(error, c)
    return new Response(JSON.stringify({ message: '500 Internal Server Error' }), {
      status: 500,
      headers: withRequestId(c, { 'Content-Type': 'application/json' }),
    })
  }
}

/** Unknown routes answer like Grape's catch-all: `{"error":"404 Not Found"}`, JSON, never HTML or plain text. */
export function notFoundHandler(c: Context): Response {
  return send(c, new RouteNotFoundError())
}
