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
    status: { type: 'integer', description: '0: the connection was closed by a fault' },
    duration_ms: { type: 'number' },
    world_time: { type: 'string', format: 'date-time', description: "the world's clock then" },
    request_headers: { type: 'object', additionalProperties: { type: 'string' } },
    request_body: { type: ['string', 'null'], description: 'the first 4 KiB' },
    response_body: { type: ['string', 'null'], description: 'the first 4 KiB' },
    fault: { type: ['integer', 'null'], description: 'the fault rule that answered' },
  },
  required: ['seq', 'method', 'path', 'status'],
  description: 'One request as the server saw it; headers and bodies with secrets redacted',
}

const faultRule: Json = {
  type: 'object',
  description: 'A fault rule: what it matches, what it does, how often',
  properties: {
    id: { type: 'integer', readOnly: true },
    method: { type: 'string' },
    path: { type: 'string', description: 'a glob' },
    endpoint: { type: 'string', description: 'such as GET /api/v4/runners/:id' },
    token: { type: 'string', description: "only requests with this credential" },
    respond: { type: 'object', properties: { status: { type: 'integer' }, body: {}, headers: { type: 'object' } } },
    delay_ms: { type: 'integer' },
    preset: { enum: ['rate_limited', 'unavailable', 'timeout', 'reset'] },
    status: { type: 'integer', description: 'unavailable: 502 or 503' },
    retry_after: { type: 'integer' },
    hold_ms: { type: 'integer' },
    after: { type: 'integer' },
    times: { type: ['integer', 'null'] },
    probability: { type: 'number' },
    matched: { type: 'integer', readOnly: true },
    fired: { type: 'integer', readOnly: true },
    remaining: { type: ['integer', 'null'], readOnly: true },
  },
}
const instanceSettings = { type: 'object', properties: { gitlab_version: { type: 'string' }, allow_runner_registration_token: { type: 'boolean' } }, required: ['gitlab_version', 'allow_runner_registration_token'] }
const throttle: Json = { type: 'object', properties: { enabled: { type: 'boolean' }, limit: { type: 'integer' }, period_seconds: { type: 'integer' } }, required: ['enabled'] }
const worldInfo: Json = {
  type: 'object',
  properties: { name: { type: 'string' }, path: { type: 'string' }, created: { type: 'string', format: 'date-time' }, runners: { type: 'integer' }, requests: { type: 'integer' }, seed: { type: ['integer', 'string'] }, gitlab_version: { type: 'string' } },
  required: ['name', 'path'],
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
  // The request journal, faults, throttle, live records and worlds (each described only where the server registers it).
  {
    method: 'GET',
    path: '/-/mock',
    tag: CONTROL_TAG,
    summary: 'The control routes, listed',
    security: CONTROL,
    responses: { 200: { description: 'routes', schema: { type: 'object', properties: { routes: { type: 'array', items: { type: 'string' } } }, required: ['routes'] }, example: { routes: ['GET /-/mock/health', 'POST /-/mock/reset'] } }, 401: unauthorized },
  },
  {
    method: 'GET',
    path: '/-/mock/requests',
    tag: CONTROL_TAG,
    summary: "The world's request journal, oldest first",
    description: 'Every API request the world answered (control-API calls are not journaled), secrets in headers, query and bodies redacted before they are shown; `dropped` counts the entries the bounded journal let go.',
    security: CONTROL,
    parameters: [
      { name: 'method', in: 'query', schema: { type: 'string' } },
      { name: 'path', in: 'query', schema: { type: 'string' }, description: 'a glob such as /api/v4/runners/*' },
      { name: 'endpoint', in: 'query', schema: { type: 'string' }, description: 'such as GET /api/v4/runners/:id' },
      { name: 'status', in: 'query', schema: { type: 'integer' } },
      { name: 'since', in: 'query', schema: { type: 'integer' }, description: 'entries after this seq' },
      { name: 'unmatched', in: 'query', schema: { type: 'boolean' }, description: 'only requests no endpoint matched' },
    ],
    responses: {
      200: {
        description: 'the journal',
        schema: { type: 'object', properties: { requests: { type: 'array', items: journalEntry }, dropped: { type: 'integer' }, enabled: { type: 'boolean' } }, required: ['requests', 'dropped'] },
        example: {
          requests: [
            {
              seq: 1,
              time: '2026-01-15T12:00:00.000Z',
              world_time: '2026-01-15T12:00:00.000Z',
              method: 'GET',
              path: '/api/v4/runners/all',
              query: { status: 'online' },
              endpoint: 'GET /api/v4/runners/all',
              status: 200,
              duration_ms: 0.4,
              request_headers: { 'private-token': '[REDACTED]' },
              request_body: null,
              response_body: '[{"id":1,"description":"shared-linux-online"}]',
              fault: null,
            },
          ],
          dropped: 0,
          enabled: true,
        },
      },
      400: badInput('"status" must be a whole number'),
      401: unauthorized,
    },
  },
  { method: 'DELETE', path: '/-/mock/requests', tag: CONTROL_TAG, summary: 'Empty the request journal', security: CONTROL, responses: { 204: { description: 'emptied' }, 401: unauthorized } },
  {
    method: 'POST',
    path: '/-/mock/requests/verify',
    tag: CONTROL_TAG,
    summary: 'Check that the journal holds requests matching a pattern (409 with near misses when not)',
    security: CONTROL,
    requestBody: {
      required: true,
      schema: { type: 'object', properties: { method: { type: 'string' }, path: { type: 'string' }, endpoint: { type: 'string' }, body_contains: { type: 'string' }, count: { type: 'integer' }, at_least: { type: 'integer' }, at_most: { type: 'integer' } } },
      example: { method: 'PUT', endpoint: 'PUT /api/v4/runners/:id', body_contains: 'paused', count: 1 },
    },
    responses: {
      200: { description: 'matched', schema: { type: 'object', properties: { ok: { const: true }, count: { type: 'integer' } }, required: ['ok', 'count'] }, example: { ok: true, count: 1 } },
      400: badInput('give "path" (a glob) or "endpoint" (such as "GET /api/v4/runners/:id"), one of them'),
      401: unauthorized,
      409: { description: 'not matched', schema: { type: 'object', properties: { ok: { const: false }, count: { type: 'integer' }, expected: { type: 'string' }, near_misses: { type: 'array', items: journalEntry } }, required: ['ok', 'count'] } },
    },
  },
  {
    method: 'GET',
    path: '/-/mock/faults',
    tag: CONTROL_TAG,
    summary: 'The fault rules in force, in the order they apply',
    security: CONTROL,
    responses: {
      200: {
        description: 'rules',
        schema: { type: 'object', properties: { faults: { type: 'array', items: faultRule } }, required: ['faults'] },
        example: { faults: [{ id: 1, method: 'GET', endpoint: 'GET /api/v4/runners/:id', preset: 'unavailable', status: 503, times: 2, after: 0, probability: 1, matched: 0, fired: 0, remaining: 2 }] },
      },
      401: unauthorized,
    },
  },
  {
    method: 'POST',
    path: '/-/mock/faults',
    tag: CONTROL_TAG,
    summary: 'Add a fault rule: a canned reply, a delay or a preset (rate_limited, unavailable, timeout, reset)',
    description: 'Match by method, a path glob or an endpoint, and optionally the caller\'s token; `after` skips the first matches, `times` bounds how often it fires, `probability` fires at random (seeded).',
    security: CONTROL,
    requestBody: {
      required: true,
      schema: faultRule,
      example: { method: 'GET', endpoint: 'GET /api/v4/runners/:id', preset: 'unavailable', status: 503, times: 2 },
    },
    responses: { 201: { description: 'the rule', schema: faultRule }, 400: badInput('give "respond", "delay_ms" or "preset"'), 401: unauthorized },
  },
  { method: 'DELETE', path: '/-/mock/faults', tag: CONTROL_TAG, summary: 'Remove every fault rule', security: CONTROL, responses: { 204: { description: 'removed' }, 401: unauthorized } },
  {
    method: 'DELETE',
    path: '/-/mock/faults/:id',
    tag: CONTROL_TAG,
    summary: 'Remove one fault rule',
    security: CONTROL,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    responses: { 204: { description: 'removed' }, 401: unauthorized, 404: { description: 'no such rule', schema: message('no rule'), example: { message: 'no fault rule 7' } } },
  },
  {
    method: 'GET',
    path: '/-/mock/settings',
    tag: CONTROL_TAG,
    summary: 'The emulated GitLab version and the instance settings that can change at run time',
    security: CONTROL,
    responses: { 200: { description: 'the settings', schema: instanceSettings, example: { gitlab_version: '18.11', allow_runner_registration_token: true } }, 401: unauthorized },
  },
  {
    method: 'PUT',
    path: '/-/mock/settings',
    tag: CONTROL_TAG,
    summary: 'Flip allow_runner_registration_token (false: POST /runners answers 410; from 17.0 the registration-token resets answer 403); reset and restore bring back the fixture\'s value',
    security: CONTROL,
    requestBody: { required: true, schema: { type: 'object', properties: { allow_runner_registration_token: { type: 'boolean' } }, additionalProperties: false }, example: { allow_runner_registration_token: false } },
    responses: { 200: { description: 'the settings now', schema: instanceSettings, example: { gitlab_version: '18.11', allow_runner_registration_token: false } }, 400: badInput('"allow_runner_registration_token" must be true or false'), 401: unauthorized },
  },
  {
    method: 'GET',
    path: '/-/mock/rate-limit',
    tag: CONTROL_TAG,
    summary: "GitLab's authenticated-API throttle for this world",
    security: CONTROL,
    responses: { 200: { description: 'the setting', schema: throttle, example: { enabled: true, limit: 600, period_seconds: 60 } }, 401: unauthorized },
  },
  {
    method: 'PUT',
    path: '/-/mock/rate-limit',
    tag: CONTROL_TAG,
    summary: 'Switch the throttle on: at most `limit` requests per user per period (then 429 with Retry-After)',
    security: CONTROL,
    requestBody: { required: true, schema: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 }, period_seconds: { type: 'integer', minimum: 1 } }, required: ['limit', 'period_seconds'] }, example: { limit: 600, period_seconds: 60 } },
    responses: { 200: { description: 'the setting', schema: throttle, example: { enabled: true, limit: 600, period_seconds: 60 } }, 400: badInput('give "limit" (requests) and "period_seconds", whole numbers from 1'), 401: unauthorized },
  },
  { method: 'DELETE', path: '/-/mock/rate-limit', tag: CONTROL_TAG, summary: 'Switch the throttle off', security: CONTROL, responses: { 204: { description: 'off' }, 401: unauthorized } },
  {
    method: 'POST',
    path: '/-/mock/records',
    tag: CONTROL_TAG,
    summary: 'Add records to the live world (the fixture format: users, groups, projects, runners, jobs, generate)',
    security: CONTROL,
    requestBody: { required: true, schema: { type: 'object', description: 'a partial fixture', properties: { users: { type: 'array' }, groups: { type: 'array' }, projects: { type: 'array' }, runners: { type: 'array' }, jobs: { type: 'array' }, generate: { type: 'object' } } }, example: { runners: [{ runner_type: 'instance_type', description: 'added-later', tag_list: ['docker'] }] } },
    responses: {
      201: { description: 'what was added, with ids and tokens', schema: { type: 'object', properties: { users: { type: 'array' }, groups: { type: 'array' }, projects: { type: 'array' }, runners: { type: 'array' }, jobs: { type: 'array' } } }, example: { users: [], groups: [], projects: [], runners: [{ id: 32, token: 'glrt-example' }], jobs: [] } },
      400: { description: 'invalid records (every problem)', schema: message('what is wrong') },
      401: unauthorized,
    },
  },
  {
    method: 'POST',
    path: '/-/mock/runners/:id/contact',
    tag: CONTROL_TAG,
    summary: "A runner's heartbeat: contacted now (or at `at`), with what it reports",
    security: CONTROL,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    requestBody: { schema: { type: 'object', properties: { at: { type: 'string', description: 'an instant or an offset such as -2h' }, version: { type: 'string' }, revision: { type: 'string' }, platform: { type: 'string' }, architecture: { type: 'string' }, ip_address: { type: 'string' }, system_id: { type: 'string' } } }, example: { version: '16.11.0' } },
    responses: {
      200: { description: 'the runner now', schema: { type: 'object', properties: { id: { type: 'integer' }, contacted_at: { type: 'string' }, status: { type: 'string' }, online: { type: ['boolean', 'null'] } }, required: ['id', 'contacted_at', 'status'] }, example: { id: 9, contacted_at: '2026-01-15T12:00:00.000Z', status: 'online', online: true } },
      400: badInput('the runner id must be a whole number'),
      401: unauthorized,
      404: { description: 'no such runner', schema: message('no runner'), example: { message: 'no runner 99' } },
    },
  },
  {
    method: 'POST',
    path: '/-/mock/runners/:id/jobs',
    tag: CONTROL_TAG,
    summary: 'A job on the runner (running by default: the runner is then online)',
    security: CONTROL,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    requestBody: { schema: { type: 'object', properties: { status: { type: 'string' }, project: { type: ['string', 'integer'] }, ref: { type: 'string' }, name: { type: 'string' }, stage: { type: 'string' } } }, example: { status: 'success', project: 'acme/backend/api', name: 'test' } },
    responses: {
      201: { description: 'the job', schema: { type: 'object', properties: { id: { type: 'integer' }, runner_id: { type: 'integer' }, project_id: { type: 'integer' }, status: { type: 'string' }, ref: { type: 'string' }, started_at: { type: ['string', 'null'] } }, required: ['id', 'runner_id'] } },
      400: badInput('the runner id must be a whole number'),
      401: unauthorized,
      404: { description: 'no such runner', schema: message('no runner'), example: { message: 'no runner 99' } },
    },
  },
  {
    method: 'GET',
    path: '/-/mock/worlds',
    tag: CONTROL_TAG,
    summary: 'The worlds this server hosts; each answers the whole API under /-/worlds/<name>/ (its control API at /-/worlds/<name>/-/mock)',
    security: CONTROL,
    responses: {
      200: {
        description: 'worlds',
        schema: { type: 'object', properties: { worlds: { type: 'array', items: worldInfo }, max_worlds: { type: 'integer' } }, required: ['worlds'] },
        example: { worlds: [{ name: 'default', path: '/', created: '2026-01-15T12:00:00.000Z', runners: 31, requests: 4, seed: 1, gitlab_version: '15.11' }], max_worlds: 256 },
      },
      401: unauthorized,
    },
  },
  {
    method: 'POST',
    path: '/-/mock/worlds',
    tag: CONTROL_TAG,
    summary: 'Create a world: its own state, clock, journal and faults (optionally another seed, fixture, clock or GitLab version)',
    security: CONTROL,
    requestBody: {
      required: true,
      schema: { type: 'object', properties: { name: { type: 'string' }, seed: { type: ['integer', 'string'] }, fixture: { $ref: componentRef('fixture') }, clock: { type: ['string', 'integer', 'null'] }, gitlab_version: { type: 'string' } }, required: ['name'] },
      example: { name: 'test-42', seed: 42, gitlab_version: '17.0' },
    },
    responses: {
      201: { description: 'the world', schema: worldInfo, example: { name: 'test-42', path: '/-/worlds/test-42', created: '2026-01-15T12:00:00.000Z', runners: 31, requests: 0, seed: 42, gitlab_version: '17.0' } },
      400: badInput('"gitlab_version" must be a string such as "17.0"'),
      401: unauthorized,
      409: { description: 'a world of that name exists', schema: message('exists') },
      503: { description: 'the server holds its most worlds, none idle', schema: message('full') },
    },
  },
  {
    method: 'DELETE',
    path: '/-/mock/worlds/:name',
    tag: CONTROL_TAG,
    summary: 'Drop a world',
    security: CONTROL,
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
    responses: { 204: { description: 'dropped' }, 400: badInput('the default world cannot be dropped (reset it instead)'), 401: unauthorized, 404: { description: 'no such world', schema: message('no world'), example: { message: 'no world named test-9' } } },
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
      200: { description: 'the runner', schema: { type: 'object', properties: { now: { type: 'string' }, runner: { type: 'object' }, projects: { type: 'array' }, group: { type: ['object', 'null'] }, jobs_total: { type: 'integer' }, jobs: { type: 'array' }, token: { type: 'string' }, token_expires_at: { type: ['string', 'null'] } }, required: ['runner', 'projects', 'jobs', 'token'] } },
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
