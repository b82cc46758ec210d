/**
 * @module The Runners API's response contract per route: which statuses each endpoint documents and which
 * schema each status's body follows. checkRouteResponse judges one response (the fake strictly, a real
 * GitLab leniently) and names the endpoint, status, JSON path and offending value of every failure.
 */
import { inVersionRange, OLDEST_GITLAB_VERSION, type GitLabVersion } from '../domain/gitlab-version.js'
import type { SuccessReply } from '../http/endpoint.js'
import { ENDPOINTS } from '../http/endpoints/index.js'
import { formatProblem, validateBody, type ExtraField, type SchemaMode, type SchemaName, type SchemaProblem } from './schemas.js'

export type { SuccessReply }

export interface RouteContract {
  /** The endpoint as documented, e.g. `GET /runners/:id` (its name in the endpoint table). */
  endpoint: string
  method: string
  pattern: RegExp
  success: SuccessReply
  /** Error statuses the endpoint documents (bodies follow schemas/error.schema.json). */
  errors: readonly number[]
  /** GitLab versions that have the endpoint: `[since, until)`, open where absent. */
  since?: GitLabVersion
  until?: GitLabVersion
}

const ID = '[^/]+'

/** The contract of every endpoint-table entry that declares a success reply, in table order (static paths before `:id` ones: the first match wins). */
export const ROUTE_CONTRACTS: readonly RouteContract[] = ENDPOINTS.flatMap((e): RouteContract[] =>
  e.success
    ? [
        {
          endpoint: e.name,
          method: e.method,
          pattern: new RegExp(`^${e.path.replace(/:[a-z_]+/g, ID)}$`),
          success: e.success,
          errors: e.errors,
          since: e.since,
          until: e.until,
        },
      ]
    : [],
)

/** The API path of a request path: query dropped, doubled slashes collapsed, `/api/v4` removed; null outside the API. */
export function apiPath(path: string): string | null {
  // A world's base URL (`/-/worlds/<name>`) serves the same API under it.
  const bare = path.split('?')[0]!.replace(/^\/{2,}/, '/').replace(/^\/-\/worlds\/[^/]+(?=\/|$)/, '').replace(/^(?=[^/]|$)/, '/').replace(/^\/{2,}/, '/')
  if (bare.startsWith('/api/v4/') || bare === '/api/v4') return bare.slice('/api/v4'.length) || '/'
  if (bare.startsWith('/-/')) return null
  return bare
}

/** The contract of the endpoint serving a request; with `version`, only endpoints that GitLab version has (the others fall through, as routes do). */
export function findRouteContract(method: string, path: string, version?: GitLabVersion): RouteContract | undefined {
  const api = apiPath(path)
  if (api === null) return undefined
  const m = method.toUpperCase()
  return ROUTE_CONTRACTS.find(
    (r) => r.method === m && r.pattern.test(api) && (version === undefined || inVersionRange(version, r.since, r.until)),
  )
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
 * schema, an error body the error schema. Other API paths (/version, /user): error bodies only. With
 * `version`, only that version's endpoints and the fields of its schemas count (without: any endpoint, 15.11 fields).
 */
export function checkRouteResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  mode: SchemaMode = 'strict',
  version?: GitLabVersion,
): ResponseVerdict {
  const api = apiPath(path)
  if (api === null) return { ok: true, endpoint: null, schema: null, problems: [], extras: [] }
  const contract = findRouteContract(method, path, version)
  const fields = { version: version ?? OLDEST_GITLAB_VERSION }
  const verdict = (schema: SchemaName | null, problems: SchemaProblem[], extras: ExtraField[] = []): ResponseVerdict => ({
    ok: problems.length === 0,
    endpoint: contract?.endpoint ?? null,
    schema,
    problems,
    extras,
  })
  if (!contract) {
    if (status < 400) return verdict(null, [])
    const r = validateBody('error', body, mode, fields)
    return verdict('error', r.problems, r.extras)
  }
  const { success } = contract
  if (status === success.status) {
    if (success.schema === null)
      return verdict(null, body === undefined || body === '' ? [] : [{ path: '$', message: `a ${status} has no body`, value: body }])
    const r = validateBody(success.schema, body, mode, { array: success.array, ...fields })
    if (!r.valid && success.anonymousOrSimple) {
      // The request (token, `simple=true`) decides which of the two entities GitLab sends: either is right.
      const alt = validateBody(success.anonymousOrSimple, body, mode, { array: success.array, ...fields })
      if (alt.valid) return verdict(success.anonymousOrSimple, alt.problems, alt.extras)
    }
    return verdict(success.schema, r.problems, r.extras)
  }
  if (!contract.errors.includes(status)) {
    const documented = [success.status, ...contract.errors].join(', ')
    return verdict(null, [{ path: 'status', message: `${status} is not documented for ${contract.endpoint} (documented: ${documented})`, value: status }])
  }
  const r = validateBody('error', body, mode, fields)
  return verdict('error', r.problems, r.extras)
}

/** A verdict as readable lines: `GET /runners/:id 200 (runner-details): $.online: must be boolean or null (got "yes")`. */
export function formatVerdict(method: string, path: string, status: number, verdict: ResponseVerdict): string[] {
  const head = `${verdict.endpoint ?? `${method} ${path}`} ${status}${verdict.schema ? ` (${verdict.schema})` : ''}`
  return verdict.problems.map((p) => `${head}: ${formatProblem(p)}`)
}
