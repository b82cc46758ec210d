/**
 * @module The /api/v4 operations of the document, read from the route contracts (statuses and
 * schemas per endpoint). Each becomes an OperationDoc: path parameters, success body from the
 * project's schemas, GitLab's error body for every documented error, pagination headers on lists.
 */
import { ROUTE_CONTRACTS, type RouteContract } from '../validation/routes.js'
import { componentRef } from './components.js'
import type { Json, OperationDoc, ResponseDoc } from './operation.js'

export const RUNNERS_TAG = 'Runners'
export const LOOKUPS_TAG = 'Projects, groups and users'
export const META_TAG = 'Version and current user'

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: a missing, invalid or conflicting parameter',
  401: 'Unauthorized: no token or an unusable one',
  403: 'Forbidden',
  404: 'Not found (or not visible to the caller)',
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

const RUNNER_TOKEN_PATHS = new Set(['POST /runners', 'DELETE /runners', 'POST /runners/verify', 'POST /runners/reset_authentication_token'])

function successOf(contract: RouteContract): ResponseDoc & { headers?: Json } {
  const { success } = contract
  if (success.schema === null) return { description: 'Done, no body' }
  const item: Json = success.anonymousOrSimple
    ? { oneOf: [{ $ref: componentRef(success.schema) }, { $ref: componentRef(success.anonymousOrSimple) }] }
    : { $ref: componentRef(success.schema) }
  if (success.array) return { description: 'One page of the list', schema: { type: 'array', items: item }, headers: PAGINATION_HEADERS }
  return { description: 'Success', schema: item }
}

function tagOf(path: string): string {
  if (/^\/(runners|projects\/:id\/runners|groups\/:id\/runners)/.test(path)) return RUNNERS_TAG
  return LOOKUPS_TAG
}

/** One operation per route contract, plus GET /version and GET /user. */
export function apiOperations(): OperationDoc[] {
  const ops: OperationDoc[] = ROUTE_CONTRACTS.map((contract) => {
    const path = contract.endpoint.slice(contract.method.length + 1)
    const responses: Record<number, ResponseDoc> = { [contract.success.status]: successOf(contract) }
    for (const status of contract.errors) responses[status] = { description: ERROR_TEXT[status] ?? 'Error', schema: { $ref: componentRef('error') } }
    return {
      method: contract.method as OperationDoc['method'],
      path,
      tag: tagOf(path),
      summary: contract.endpoint,
      security: RUNNER_TOKEN_PATHS.has(contract.endpoint) ? ['runnerToken'] : ['user'],
      responses,
    }
  })
  const error = { description: ERROR_TEXT[401]!, schema: { $ref: componentRef('error') } }
  ops.unshift(
    { method: 'GET', path: '/version', tag: META_TAG, summary: 'GET /version', security: ['user'], responses: { 200: { description: 'The emulated GitLab release', schema: { type: 'object' } }, 401: error } },
    { method: 'GET', path: '/user', tag: META_TAG, summary: 'GET /user', security: ['user'], responses: { 200: { description: 'The current user', schema: { type: 'object' } }, 401: error } },
  )
  return ops
}
