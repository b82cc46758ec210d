/**
 * @module The Runners API's response contract per route: which statuses each endpoint documents and which
 * schema each status's body follows. checkRouteResponse judges one response (the fake strictly, a real
 * GitLab leniently) and names the endpoint, status, JSON path and offending value of every failure.
 */
import { OLDEST_GITLAB_VERSION, type GitLabVersion } from '../domain/gitlab-version.js'
import { formatProblem, validateBody, type ExtraField, type SchemaMode, type SchemaName, type SchemaProblem } from './schemas.js'

/** The success reply of an endpoint: a status and its body (a schema, a list of it, or no body). */
export interface SuccessReply {
  status: number
  schema: SchemaName | null
  array?: boolean
  /** GET /projects answers BasicProjectDetails to anonymous callers and with `simple=true`. */
  anonymousOrSimple?: SchemaName
}

export interface RouteContract {
  /** The endpoint as documented, e.g. `GET /runners/:id`. */
  endpoint: string
  method: string
  pattern: RegExp
  success: SuccessReply
  /** Error statuses the endpoint documents (bodies follow schemas/error.schema.json). */
  errors: number[]
}

const ID = '[^/]+'
const route = (method: string, path: string, success: SuccessReply, errors: number[]): RouteContract => ({
  endpoint: `${method} ${path}`,
  method,
  pattern: new RegExp(`^${path.replace(/:[a-z_]+/g, ID)}$`),
  success,
  errors,
})

// Any request may be refused for its body size (413); user-token endpoints may also answer 401 (invalid_token) and 403 (insufficient_scope).
const USER = [400, 401, 403, 404, 413]
const list = (): SuccessReply => ({ status: 200, schema: 'runner', array: true })

/** Static paths before `:id` ones: the first match wins. */
export const ROUTE_CONTRACTS: RouteContract[] = [
  route('POST', '/runners', { status: 201, schema: 'runner-registration' }, [400, 403, 410, 413]),
  route('DELETE', '/runners', { status: 204, schema: null }, [400, 403, 412, 413]),
  route('POST', '/runners/verify', { status: 200, schema: 'runner-registration' }, [400, 403, 413]),
  route('POST', '/runners/reset_authentication_token', { status: 201, schema: 'runner-token-reset' }, [400, 403, 413]),
  // 16.0+ (before, the path is DELETE /runners/:id's, which answers 401 without a user token).
  route('DELETE', '/runners/managers', { status: 204, schema: null }, [400, 401, 403, 404, 412, 413]),
  route('POST', '/user/runners', { status: 201, schema: 'user-runner' }, USER),
  // 404 on these too: `Sudo` naming an unknown user (`404 User with ID or username '…' Not Found`).
  route('GET', '/runners', list(), USER),
  route('GET', '/runners/all', list(), USER),
  route('POST', '/runners/reset_registration_token', { status: 201, schema: 'registration-token-reset' }, USER),
  route('GET', '/runners/:id', { status: 200, schema: 'runner-details' }, USER),
  route('PUT', '/runners/:id', { status: 200, schema: 'runner-details' }, USER),
  route('DELETE', '/runners/:id', { status: 204, schema: null }, [...USER, 412]),
  route('GET', '/runners/:id/jobs', { status: 200, schema: 'runner-job', array: true }, USER),
  route('GET', '/runners/:id/managers', { status: 200, schema: 'runner-manager', array: true }, USER), // 17.1+
  route('GET', '/runners/:id/projects', { status: 200, schema: 'project-simple', array: true }, USER), // 18.x
  route('POST', '/runners/:id/reset_authentication_token', { status: 201, schema: 'runner-token-reset' }, USER),
  route('GET', '/projects/:id/runners', list(), USER),
  route('GET', '/projects/:id/runners/all', list(), USER),
  route('POST', '/projects/:id/runners/reset_registration_token', { status: 201, schema: 'registration-token-reset' }, USER),
  route('POST', '/projects/:id/runners', { status: 201, schema: 'runner' }, USER),
  route('DELETE', '/projects/:id/runners/:runner_id', { status: 204, schema: null }, [...USER, 412]),
  route('GET', '/groups/:id/runners', list(), USER),
  route('GET', '/groups/:id/runners/all', list(), USER),
  route('POST', '/groups/:id/runners/reset_registration_token', { status: 201, schema: 'registration-token-reset' }, USER),
  // Neighbours of the Runners API (anonymous callers allowed; a bad token is still 401).
  route('GET', '/projects/:id', { status: 200, schema: 'project' }, USER),
  route('GET', '/projects', { status: 200, schema: 'project', array: true, anonymousOrSimple: 'project-simple' }, USER),
  route('GET', '/groups/:id/subgroups', { status: 200, schema: 'group', array: true }, USER),
  route('GET', '/groups/:id', { status: 200, schema: 'group-detail' }, USER),
  route('GET', '/groups', { status: 200, schema: 'group', array: true }, USER),
  route('GET', '/users/:id', { status: 200, schema: 'user' }, USER),
  route('GET', '/users', { status: 200, schema: 'user-basic', array: true }, USER),
]

/** The API path of a request path: query dropped, doubled slashes collapsed, `/api/v4` removed; null outside the API. */
export function apiPath(path: string): string | null {
  const bare = path.split('?')[0]!.replace(/^\/{2,}/, '/')
  if (bare.startsWith('/api/v4/') || bare === '/api/v4') return bare.slice('/api/v4'.length) || '/'
  if (bare.startsWith('/-/')) return null
  return bare
}

export function findRouteContract(method: string, path: string): RouteContract | undefined {
  const api = apiPath(path)
  if (api === null) return undefined
  const m = method.toUpperCase()
  return ROUTE_CONTRACTS.find((r) => r.method === m && r.pattern.test(api))
}

export interface ResponseVerdict {
  ok: boolean
  /** `GET /runners/:id`, or null for a path outside the Runners API. */
  endpoint: string | null
  /** The schema the body was checked against (null: no body expected, or not checked). */
  schema: SchemaName | null
  problems: SchemaProblem[]
  extras: ExtraField[]
}

/**
 * Judge one response. Runner routes: the status must be documented, a success body must match the route's
 * schema, an error body the error schema. Other API paths (/version, /user): error bodies only. Bodies are
 * judged as the given GitLab version answers them (default 15.11).
 */
export function checkRouteResponse(method: string, path: string, status: number, body: unknown, mode: SchemaMode = 'strict', version: GitLabVersion = OLDEST_GITLAB_VERSION): ResponseVerdict {
  const api = apiPath(path)
  if (api === null) return { ok: true, endpoint: null, schema: null, problems: [], extras: [] }
  const contract = findRouteContract(method, path)
  const verdict = (schema: SchemaName | null, problems: SchemaProblem[], extras: ExtraField[] = []): ResponseVerdict => ({
    ok: problems.length === 0,
    endpoint: contract?.endpoint ?? null,
    schema,
    problems,
    extras,
  })
  if (!contract) {
    if (status < 400) return verdict(null, [])
    const r = validateBody('error', body, mode, { version })
    return verdict('error', r.problems, r.extras)
  }
  const { success } = contract
  if (status === success.status) {
    if (success.schema === null)
      return verdict(null, body === undefined || body === '' ? [] : [{ path: '$', message: `a ${status} has no body`, value: body }])
    const r = validateBody(success.schema, body, mode, { array: success.array, version })
    if (!r.valid && success.anonymousOrSimple) {
      // The request (token, `simple=true`) decides which of the two entities GitLab sends: either is right.
      const alt = validateBody(success.anonymousOrSimple, body, mode, { array: success.array, version })
      if (alt.valid) return verdict(success.anonymousOrSimple, alt.problems, alt.extras)
    }
    return verdict(success.schema, r.problems, r.extras)
  }
  if (!contract.errors.includes(status)) {
    const documented = [success.status, ...contract.errors].join(', ')
    return verdict(null, [{ path: 'status', message: `${status} is not documented for ${contract.endpoint} (documented: ${documented})`, value: status }])
  }
  const r = validateBody('error', body, mode, { version })
  return verdict('error', r.problems, r.extras)
}

/** A verdict as readable lines: `GET /runners/:id 200 (runner-details): $.online: must be boolean or null (got "yes")`. */
export function formatVerdict(method: string, path: string, status: number, verdict: ResponseVerdict): string[] {
  const head = `${verdict.endpoint ?? `${method} ${path}`} ${status}${verdict.schema ? ` (${verdict.schema})` : ''}`
  return verdict.problems.map((p) => `${head}: ${formatProblem(p)}`)
}
