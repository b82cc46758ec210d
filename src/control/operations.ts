/**
 * @module The control API (/-/mock), GitLab's health probes and the mock's own pages described for the
 * OpenAPI document: each route's parameters, bodies and replies with examples. A test compares this
 * list with the routes the app registers, both ways, so neither can drift from the other. Entries for
 * routes a server does not register (the request journal, faults and worlds, on builds without them)
 * are left out of its document.
 */
import type { Json, OperationDoc } from '../openapi/operation.js'
import { componentRef } from '../openapi/components.js'

export const CONTROL_TAG = 'Control API'
export const HEALTH_TAG = 'Health'
export const PAGES_TAG = 'Pages'

const CONTROL = ['controlToken']
const OPEN: string[] = []

const message = (description: string): Json => ({
  type: 'object',
  description,
  properties: { message: { type: 'string' }, hint: { type: 'string' }, problems: { type: 'array', items: { type: 'object' } } },
  required: ['message'],
})
const unauthorized = { description: 'The control token is set and X-Mock-Control-Token does not match it', schema: message('refused'), example: { message: '401 Unauthorized', hint: 'send the control token in X-Mock-Control-Token' } }
const badInput = (example: string) => ({ description: 'Bad input: a clear message', schema: message('what is wrong'), example: { message: example } })

const clock: Json = {
  type: 'object',
  properties: { now: { type: 'string', format: 'date-time', description: "the world's now" }, frozen: { type: 'boolean', description: 'false: real time (plus any advance)' } },
  required: ['now', 'frozen'],
  additionalProperties: false,
}
const clockExample = { now: '2026-01-15T12:00:00.000Z', frozen: true }
const stringMap: Json = { type: 'object', additionalProperties: { type: 'string' } }
const tokens: Json = {
  type: 'object',
  description: "The well-known credentials of the fixture's named records, as they are now",
  properties: {
    users: { ...stringMap, description: 'username → a usable personal access token' },
    registration: {
      type: 'object',
      properties: { instance: { type: 'string' }, groups: { ...stringMap, description: 'full path → token' }, projects: { ...stringMap, description: 'full path → token' } },
      required: ['instance', 'groups', 'projects'],
    },
    runners: { ...stringMap, description: 'runner id → authentication token' },
  },
  required: ['users', 'registration', 'runners'],
}
const status = (value: string): Json => ({ type: 'object', properties: { status: { const: value } }, required: ['status'] })
const nameParam = { name: 'name', in: 'path' as const, required: true, schema: { type: 'string' }, description: 'snapshot name' }

/** The journal's entries (request journal routes). */
const journalEntry: Json = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    time: { type: 'string', format: 'date-time' },
    method: { type: 'string' },
    path: { type: 'string' },
    query: { type: 'object' },
    endpoint: { type: ['string', 'null'], description: 'the endpoint table entry that answered, e.g. `GET /runners/:id`' },
    status: { type: 'integer' },
    duration: { type: 'number', description: 'milliseconds' },
  },
  required: ['seq', 'method', 'path', 'status'],
  description: 'One request as the server saw it; headers and bodies with secrets redacted',
}

export const CONTROL_OPERATIONS: OperationDoc[] = [
  { method: 'GET', path: '/-/health', tag: HEALTH_TAG, summary: "GitLab's health probe (plain text)", security: OPEN, responses: { 200: { description: 'up', mediaType: 'text/plain', schema: { type: 'string' }, example: 'GitLab OK' } } },
  { method: 'GET', path: '/-/liveness', tag: HEALTH_TAG, summary: "GitLab's liveness probe", security: OPEN, responses: { 200: { description: 'alive', schema: status('ok'), example: { status: 'ok' } } } },
  {
    method: 'GET',
    path: '/-/readiness',
    tag: HEALTH_TAG,
    summary: "GitLab's readiness probe",
    security: OPEN,
    parameters: [{ name: 'all', in: 'query', schema: { type: 'string' }, description: 'any value adds the per-service checks' }],
    responses: { 200: { description: 'ready', schema: status('ok'), example: { status: 'ok', master_check: [{ status: 'ok' }] } } },
  },
  { method: 'GET', path: '/-/mock/health', tag: CONTROL_TAG, summary: 'The mock is up (open even with a control token)', security: OPEN, responses: { 200: { description: 'up', schema: status('ok'), example: { status: 'ok' } } } },
  {
    method: 'GET',
    path: '/-/mock/ready',
    tag: CONTROL_TAG,
    summary: 'The mock is ready, with its runner count (open even with a control token)',
    security: OPEN,
    responses: { 200: { description: 'ready', schema: { ...status('ok'), properties: { status: { const: 'ok' }, runners: { type: 'integer' } } }, example: { status: 'ok', runners: 31 } } },
  },
  {
    method: 'POST',
    path: '/-/mock/reset',
    tag: CONTROL_TAG,
    summary: 'Back to the initial state',
    description: 'Ids, tokens and the request-time random sequence included; a frozen clock returns to its first instant. Call it between tests.',
    security: CONTROL,
    responses: {
      200: { description: 'reset', schema: { type: 'object', properties: { status: { const: 'reset' }, seed: { type: ['integer', 'string'] }, clock }, required: ['status', 'seed', 'clock'] }, example: { status: 'reset', seed: 1, clock: clockExample } },
      401: unauthorized,
    },
  },
  {
    method: 'POST',
    path: '/-/mock/reseed',
    tag: CONTROL_TAG,
    summary: 'Rebuild the world from another seed and/or fixture',
    description: 'A bad fixture is refused whole, every problem listed, and the world stays as it was.',
    security: CONTROL,
    requestBody: {
      schema: { type: 'object', properties: { seed: { type: ['integer', 'string'] }, fixture: { $ref: componentRef('fixture') }, fixture_path: { type: 'string', description: 'a fixture file on the server' } } },
      example: { seed: 42, fixture: { users: [{ username: 'solo', admin: true, tokens: [{ token: 'glpat-solo' }] }], generate: { runners: 2 } } },
    },
    responses: {
      200: { description: 'rebuilt', schema: { type: 'object', properties: { status: { const: 'reseeded' }, seed: { type: ['integer', 'string'] }, runners: { type: 'integer' } }, required: ['status', 'seed', 'runners'] }, example: { status: 'reseeded', seed: 42, runners: 2 } },
      400: { description: 'invalid fixture (every problem) or bad seed', schema: message('what is wrong'), example: { message: 'invalid fixture', problems: [{ path: '/runners/0/paused', message: 'must be boolean' }] } },
      401: unauthorized,
    },
  },
  {
    method: 'GET',
    path: '/-/mock/snapshots',
    tag: CONTROL_TAG,
    summary: 'Names of the saved snapshots',
    security: CONTROL,
    responses: { 200: { description: 'names', schema: { type: 'object', properties: { snapshots: { type: 'array', items: { type: 'string' } } }, required: ['snapshots'] }, example: { snapshots: ['default', 'before-cleanup'] } }, 401: unauthorized },
  },
  {
    method: 'POST',
    path: '/-/mock/snapshots',
    tag: CONTROL_TAG,
    summary: 'Save the current state under a name (default "default")',
    security: CONTROL,
    requestBody: { schema: { type: 'object', properties: { name: { type: 'string' } } }, example: { name: 'before-cleanup' } },
    responses: { 201: { description: 'saved', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, example: { name: 'before-cleanup' } }, 401: unauthorized },
  },
  {
    method: 'POST',
    path: '/-/mock/snapshots/:name/restore',
    tag: CONTROL_TAG,
    summary: 'Restore a saved snapshot',
    security: CONTROL,
    parameters: [nameParam],
    responses: {
      200: { description: 'restored', schema: { type: 'object', properties: { restored: { type: 'string' } }, required: ['restored'] }, example: { restored: 'before-cleanup' } },
      401: unauthorized,
      404: { description: 'no snapshot of that name', schema: message('no snapshot'), example: { message: 'no snapshot named nightly' } },
    },
  },
  {
    method: 'DELETE',
    path: '/-/mock/snapshots/:name',
    tag: CONTROL_TAG,
    summary: 'Delete a saved snapshot',
    security: CONTROL,
    parameters: [nameParam],
    responses: { 204: { description: 'deleted' }, 401: unauthorized, 404: { description: 'no snapshot of that name', schema: message('no snapshot'), example: { message: 'no snapshot named nightly' } } },
  },
  {
    method: 'GET',
    path: '/-/mock/state',
    tag: CONTROL_TAG,
    summary: 'The whole state as JSON (every record, ISO times, id order)',
    description: 'Large for big worlds (about 1.5 kB a runner); the inspector pages through /-/mock/inspect/runners instead.',
    security: CONTROL,
    responses: { 200: { description: 'the dump', schema: { type: 'object', properties: { meta: { type: 'object' }, settings: { type: 'object' }, users: { type: 'array' }, groups: { type: 'array' }, projects: { type: 'array' }, runners: { type: 'array' } }, required: ['meta'] } }, 401: unauthorized },
  },
  {
    method: 'GET',
    path: '/-/mock/tokens',
    tag: CONTROL_TAG,
    summary: 'The well-known tokens: personal access, registration and runner tokens',
    security: CONTROL,
    responses: {
      200: {
        description: 'tokens',
        schema: tokens,
        example: { users: { root: 'glpat-AdminToken0000000001' }, registration: { instance: 'InstanceRegToken0001', groups: { acme: 'GR1348941AcmeGroupRegToken001' }, projects: {} }, runners: { '1': 'SharedRunnerToken001' } },
      },
      401: unauthorized,
    },
  },
  { method: 'GET', path: '/-/mock/clock', tag: CONTROL_TAG, summary: "The world's clock", security: CONTROL, responses: { 200: { description: 'the clock', schema: clock, example: clockExample }, 401: unauthorized } },
  {
    method: 'PUT',
    path: '/-/mock/clock',
    tag: CONTROL_TAG,
    summary: 'Set the clock (frozen unless "frozen": false)',
    security: CONTROL,
    requestBody: { required: true, schema: { type: 'object', properties: { now: { type: ['string', 'number'], description: 'ISO instant or epoch milliseconds' }, frozen: { type: 'boolean' } }, required: ['now'] }, example: { now: '2026-04-15T12:00:00Z' } },
    responses: { 200: { description: 'the clock', schema: clock, example: { now: '2026-04-15T12:00:00.000Z', frozen: true } }, 400: badInput('"now" must be an ISO instant or epoch milliseconds'), 401: unauthorized },
  },
  {
    method: 'POST',
    path: '/-/mock/clock/advance',
    tag: CONTROL_TAG,
    summary: 'Move the clock forward (or back)',
    description: 'Months and years are calendar months from now, as Rails counts them: `3mo` makes every runner not seen since then stale.',
    security: CONTROL,
    requestBody: { required: true, schema: { type: 'object', properties: { seconds: { type: 'number' }, duration: { type: 'string', description: 'such as 2h, 3d, 4mo, -1y' } } }, example: { duration: '3mo' } },
    responses: { 200: { description: 'the clock', schema: clock, example: { now: '2026-04-15T12:00:00.000Z', frozen: true } }, 400: badInput('give "seconds" (a number) or "duration" (such as "2h", "3d", "4mo")'), 401: unauthorized },
  },
  {
    method: 'POST',
    path: '/-/mock/clock/real',
    tag: CONTROL_TAG,
    summary: 'Unfreeze: the clock follows real time again',
    security: CONTROL,
    responses: { 200: { description: 'the clock', schema: clock, example: { now: '2026-01-15T12:00:00.000Z', frozen: false } }, 401: unauthorized },
  },
  // The request journal, faults and worlds (described for servers that register them).
  {
    method: 'GET',
    path: '/-/mock/requests',
    tag: CONTROL_TAG,
    summary: 'The request journal, newest last',
    description: 'Secrets in headers and bodies are redacted before they are kept; `dropped` counts entries the bounded journal let go.',
    security: CONTROL,
    responses: {
      200: {
        description: 'the journal',
        schema: { type: 'object', properties: { requests: { type: 'array', items: journalEntry }, dropped: { type: 'integer' } }, required: ['requests'] },
        example: { requests: [{ seq: 1, time: '2026-01-15T12:00:00.000Z', method: 'GET', path: '/api/v4/runners/all', query: { status: 'online' }, endpoint: 'GET /runners/all', status: 200, duration: 0.4 }], dropped: 0 },
      },
      401: unauthorized,
    },
  },
  { method: 'DELETE', path: '/-/mock/requests', tag: CONTROL_TAG, summary: 'Empty the request journal', security: CONTROL, responses: { 204: { description: 'emptied' }, 401: unauthorized } },
  {
    method: 'GET',
    path: '/-/mock/faults',
    tag: CONTROL_TAG,
    summary: 'The faults in force (injected errors and delays)',
    security: CONTROL,
    responses: { 200: { description: 'faults', schema: { type: 'object', properties: { faults: { type: 'array', items: { type: 'object' } } }, required: ['faults'] } }, 401: unauthorized },
  },
  { method: 'DELETE', path: '/-/mock/faults', tag: CONTROL_TAG, summary: 'Remove every fault', security: CONTROL, responses: { 204: { description: 'removed' }, 401: unauthorized } },
  {
    method: 'GET',
    path: '/-/mock/worlds',
    tag: CONTROL_TAG,
    summary: 'The worlds this server holds (each answers under /-/worlds/<name>/)',
    security: CONTROL,
    responses: { 200: { description: 'worlds', schema: { type: 'object', properties: { worlds: { type: 'array', items: { type: 'object' } } }, required: ['worlds'] } }, 401: unauthorized },
  },
  // The mock's own pages (open: they hold no world data).
  { method: 'GET', path: '/-/mock/openapi.json', tag: PAGES_TAG, summary: 'This OpenAPI 3.1 document', security: OPEN, responses: { 200: { description: 'the document', schema: { type: 'object', required: ['openapi', 'paths'] } } } },
  { method: 'GET', path: '/-/mock/docs', tag: PAGES_TAG, summary: 'This document rendered (Swagger UI, served offline)', security: OPEN, responses: { 200: { description: 'HTML', mediaType: 'text/html', schema: { type: 'string' } } } },
  { method: 'GET', path: '/-/mock/docs/init.js', tag: PAGES_TAG, summary: "The docs page's start-up script", security: OPEN, responses: { 200: { description: 'JavaScript', mediaType: 'text/javascript', schema: { type: 'string' } } } },
  {
    method: 'GET',
    path: '/-/mock/docs/:file{swagger-ui-bundle\\.js|swagger-ui\\.css}',
    tag: PAGES_TAG,
    summary: "Swagger UI's script and style sheet",
    security: OPEN,
    parameters: [{ name: 'file', in: 'path', required: true, schema: { enum: ['swagger-ui-bundle.js', 'swagger-ui.css'] } }],
    responses: { 200: { description: 'the file', mediaType: 'text/plain', schema: { type: 'string' } } },
  },
  { method: 'GET', path: '/', tag: PAGES_TAG, summary: 'Redirects to the inspector', security: OPEN, responses: { 302: { description: 'to /-/mock/ui' } } },
  { method: 'GET', path: '/-/mock/ui', tag: PAGES_TAG, summary: 'The inspector: runners, projects, users, tokens, clock, requests and faults of this world', security: OPEN, responses: { 200: { description: 'HTML', mediaType: 'text/html', schema: { type: 'string' } } } },
  { method: 'GET', path: '/-/mock/ui/app.js', tag: PAGES_TAG, summary: "The inspector's script", security: OPEN, responses: { 200: { description: 'JavaScript', mediaType: 'text/javascript', schema: { type: 'string' } } } },
  // Read-only views the inspector pages through (guarded like the control API).
  {
    method: 'GET',
    path: '/-/mock/inspect/runners',
    tag: CONTROL_TAG,
    summary: 'Runners for the inspector: id order, filtered as GET /runners/all filters, paged, with owners and the exact total',
    security: CONTROL,
    parameters: [
      { name: 'type', in: 'query', schema: { enum: ['instance_type', 'group_type', 'project_type'] } },
      { name: 'status', in: 'query', schema: { enum: ['active', 'paused', 'online', 'offline', 'never_contacted', 'stale', 'not_connected'] } },
      { name: 'tag', in: 'query', schema: { type: 'string' }, description: 'comma-separated; a runner must have every one' },
      { name: 'q', in: 'query', schema: { type: 'string' }, description: 'text in the id, description, name, tags or owner paths' },
      { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
      { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    ],
    responses: {
      200: {
        description: 'one page',
        schema: { type: 'object', properties: { now: { type: 'string', format: 'date-time' }, total: { type: 'integer' }, page: { type: 'integer' }, per_page: { type: 'integer' }, total_pages: { type: 'integer' }, runners: { type: 'array', items: { type: 'object' } } }, required: ['now', 'total', 'page', 'per_page', 'total_pages', 'runners'] },
        example: { now: '2026-01-15T12:00:00.000Z', total: 1, page: 1, per_page: 50, total_pages: 1, runners: [{ id: 1, description: 'shared-runner-1', name: null, runner_type: 'instance_type', owners: [], tag_list: ['docker'], status: 'online', paused: false, online: true, locked: false, contacted_at: '2026-01-15T11:55:00.000Z', created_at: '2025-06-01T00:00:00.000Z' }] },
      },
      400: badInput('"status" must be one of active, paused, online, offline, never_contacted, stale, not_connected'),
      401: unauthorized,
    },
  },
  {
    method: 'GET',
    path: '/-/mock/inspect/runners/:id{[0-9]+}',
    tag: CONTROL_TAG,
    summary: 'One runner for the inspector: details, projects, group, latest jobs and its token',
    security: CONTROL,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    responses: {
      200: { description: 'the runner', schema: { type: 'object', properties: { now: { type: 'string' }, runner: { type: 'object' }, projects: { type: 'array' }, group: { type: ['object', 'null'] }, jobs_total: { type: 'integer' }, jobs: { type: 'array' }, token: { type: 'object' } }, required: ['runner', 'projects', 'jobs', 'token'] } },
      401: unauthorized,
      404: { description: 'no such runner', schema: message('no runner'), example: { message: 'no runner 99' } },
    },
  },
  {
    method: 'GET',
    path: '/-/mock/inspect/world',
    tag: CONTROL_TAG,
    summary: 'Groups, projects (visibility, runner counts) and users (roles) for the inspector',
    security: CONTROL,
    responses: { 200: { description: 'the world', schema: { type: 'object', properties: { now: { type: 'string' }, gitlab_version: { type: 'string' }, runners: { type: 'object' }, groups: { type: 'array' }, projects: { type: 'array' }, users: { type: 'array' } }, required: ['groups', 'projects', 'users'] } }, 401: unauthorized },
  },
]
