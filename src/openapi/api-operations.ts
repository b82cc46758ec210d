/**
 * @module The /api/v4 operations of the document, read from the endpoint table for one GitLab version
 * (entries outside their since/until range left out, as the server answers them 404): path, query or
 * body parameters from the typed specs, the security of the entry's authentication, the success body
 * from the project's schemas, GitLab's error body for each documented error, pagination headers on lists.
 */
import { inVersionRange, type GitLabVersion } from '../domain/gitlab-version.js'
import type { EndpointAuth } from '../http/auth.js'
import type { Endpoint, SuccessReply } from '../http/endpoint.js'
import { ENDPOINTS } from '../http/endpoints/index.js'
import { p, type Spec } from '../http/params.js'
import { componentRef } from './components.js'
import type { Json, OperationDoc, ParameterDoc, ResponseDoc } from './operation.js'

export const RUNNERS_TAG = 'Runners'
export const LOOKUPS_TAG = 'Projects, groups and users'
export const META_TAG = 'Version and current user'

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: a missing, invalid or conflicting parameter',
  401: 'Unauthorized: no token or an unusable one',
  403: 'Forbidden',
  404: 'Not found (or not visible to the caller)',
  409: 'Conflict',
  410: 'Gone: registration with registration tokens is off',
  412: 'Precondition failed (If-Unmodified-Since)',
  413: 'Request body too large',
}

/** GitLab's pagination headers on every list reply. */
export const PAGINATION_HEADERS: Json = Object.fromEntries(
  [
    ['X-Total', 'Number of items (left out above 10,000)'],
    ['X-Total-Pages', 'Number of pages (left out above 10,000 items)'],
    ['X-Page', 'This page'],
    ['X-Per-Page', 'Items per page'],
    ['X-Next-Page', 'The next page, empty on the last'],
    ['X-Prev-Page', 'The previous page, empty on the first'],
    ['Link', 'rel="prev", "next", "first" and "last" URLs'],
  ].map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
)

// The parameter builders share one coercion per type: a spec's type is known by its coerce function.
const COERCE_TYPES = new Map<unknown, Json>([
  [p.int().coerce, { type: 'integer' }],
  [p.bool().coerce, { type: 'boolean' }],
  [p.string().coerce, { type: 'string' }],
  [p.tagList().coerce, { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string', description: 'comma-separated' }] }],
])

/** A parameter spec as a JSON Schema (a hash parameter is an object). */
export function specSchema(spec: Spec<unknown>): Json {
  const base = COERCE_TYPES.get(spec.coerce) ?? { type: 'object', additionalProperties: { type: 'string' } }
  return spec.values ? { ...base, enum: [...spec.values] } : { ...base }
}

function securityOf(auth: EndpointAuth): string[] {
  switch (auth.kind) {
    case 'user':
      return ['user']
    case 'optional-user':
      return ['user', 'anonymous']
    case 'runner-token':
      return ['runnerToken']
    case 'registration-token':
      return ['registrationToken']
    case 'none':
      return []
  }
}

function successOf(success: SuccessReply | undefined): ResponseDoc & { headers?: Json } {
  if (!success) return { description: 'Success (no response schema declared for this endpoint)', schema: { type: 'object' } }
  if (success.schema === null) return { description: 'Done, no body' }
  const item: Json = success.anonymousOrSimple
    ? { oneOf: [{ $ref: componentRef(success.schema) }, { $ref: componentRef(success.anonymousOrSimple) }], description: 'the full entity, or the basic one for anonymous callers and `simple=true`' }
    : { $ref: componentRef(success.schema) }
  if (success.array) return { description: 'One page of the list', schema: { type: 'array', items: item }, headers: PAGINATION_HEADERS }
  return { description: 'Success', schema: item }
}

function tagOf(path: string): string {
  if (path === '/version' || path === '/user') return META_TAG
  if (/^\/(runners|projects\/:id\/runners|groups\/:id\/runners)/.test(path)) return RUNNERS_TAG
  return LOOKUPS_TAG
}

/** Path and query parameters, and (POST/PUT/DELETE) the body's properties: GitLab reads those from the query too. */
function parametersOf(endpoint: Endpoint): { parameters: ParameterDoc[]; body?: Json } {
  const parameters: ParameterDoc[] = []
  const properties: Json = {}
  const required: string[] = []
  const inBody = endpoint.method !== 'GET'
  for (const [name, spec] of Object.entries(endpoint.params)) {
    const schema = specSchema(spec)
    if (spec.in === 'path') {
      parameters.push({ name, in: 'path', required: true, schema })
    } else if (spec.member) {
      const [parent, key] = spec.member
      const holder = (properties[parent] ??= { type: 'object' }) as { properties?: Json }
      holder.properties = { ...holder.properties, [key]: schema }
    } else if (inBody) {
      properties[name] = { ...schema, ...(properties[name] as Json | undefined) } // members may have come first
      if (spec.required) required.push(name)
    } else {
      parameters.push({ name, in: 'query', required: spec.required === true, schema })
    }
  }
  if (!inBody || Object.keys(properties).length === 0) return { parameters }
  return { parameters, body: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) } }
}

const RULE_TEXT: Record<string, string> = { mutuallyExclusive: 'mutually exclusive', atLeastOneOf: 'at least one of' }

function operationOf(endpoint: Endpoint): OperationDoc {
  const responses: Record<number, ResponseDoc> = { [endpoint.success?.status ?? 200]: successOf(endpoint.success) }
  const errors = new Set(endpoint.errors)
  if (endpoint.auth.kind === 'user') errors.add(401)
  for (const status of [...errors].sort((a, b) => a - b)) responses[status] = { description: ERROR_TEXT[status] ?? 'Error', schema: { $ref: componentRef('error') } }
  const { parameters, body } = parametersOf(endpoint)
  const rules = Object.entries(endpoint.rules)
    .filter(([, groups]) => Array.isArray(groups) && groups.length > 0)
    .map(([rule, groups]) => `${RULE_TEXT[rule] ?? rule}: ${(groups as string[][]).map((g) => g.join(', ')).join('; ')}`)
  const since = endpoint.since ? `Since GitLab ${endpoint.since}. ` : ''
  const until = endpoint.until ? `Until GitLab ${endpoint.until}. ` : ''
  return {
    method: endpoint.method,
    path: endpoint.path,
    tag: tagOf(endpoint.path),
    summary: endpoint.name,
    ...(since || until || rules.length > 0 ? { description: `${since}${until}${rules.length > 0 ? `Parameter rules: ${rules.join('. ')}.` : ''}`.trim() } : {}),
    security: securityOf(endpoint.auth),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { schema: body, mediaTypes: ['application/json', 'application/x-www-form-urlencoded'], required: Array.isArray(body.required) } } : {}),
    responses,
  }
}

/** The operations of the endpoint table that exist in `version`. */
export function apiOperations(version: GitLabVersion): OperationDoc[] {
  return ENDPOINTS.filter((e) => inVersionRange(version, e.since, e.until)).map(operationOf)
}
