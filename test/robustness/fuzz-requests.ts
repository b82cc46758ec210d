/** @module The fuzzer's request model and its fast-check arbitraries: every endpoint's template filled with odd ids, query strings, headers and bodies. */
import fc from 'fast-check'
import { REGISTRATION, RUNNER_TOKENS, TOKENS } from '../harness.js'

/** One request, as plain data so fast-check can print and shrink it. */
export interface FuzzRequest {
  method: string
  /** Path and raw query exactly as sent, e.g. `/api/v4/runners/1?x=%zz`. */
  url: string
  headers: Array<[string, string]>
  body?: { type?: string; text: string }
}

/** An extra route for a fuzz run (the fault-injection test uses it). */
export interface Endpoint {
  method: string
  path: string
}

/** Every route the mock serves; `:runner`, `:project`, `:group`, `:user`, `:name` are filled by the fuzzer. */
export const ENDPOINTS: readonly Endpoint[] = [
  ...(
    [
      ['GET', '/version'],
      ['GET', '/user'],
      ['GET', '/runners'],
      ['GET', '/runners/all'],
      ['POST', '/runners/reset_registration_token'],
      ['GET', '/runners/:runner'],
      ['PUT', '/runners/:runner'],
      ['DELETE', '/runners/:runner'],
      ['GET', '/runners/:runner/jobs'],
      ['POST', '/runners/:runner/reset_authentication_token'],
      ['POST', '/runners'],
      ['DELETE', '/runners'],
      ['POST', '/runners/verify'],
      ['POST', '/runners/reset_authentication_token'],
      ['GET', '/projects/:project/runners'],
      ['GET', '/projects/:project/runners/all'],
      ['POST', '/projects/:project/runners'],
      ['DELETE', '/projects/:project/runners/:runner'],
      ['POST', '/projects/:project/runners/reset_registration_token'],
      ['GET', '/groups/:group/runners'],
      ['GET', '/groups/:group/runners/all'],
      ['POST', '/groups/:group/runners/reset_registration_token'],
      // lookups (issue 6)
      ['GET', '/projects'],
      ['GET', '/projects/:project'],
      ['GET', '/groups'],
      ['GET', '/groups/:group'],
      ['GET', '/groups/:group/subgroups'],
      ['GET', '/users'],
      ['GET', '/users/:user'],
    ] as const
  ).map(([method, path]) => ({ method, path: `/api/v4${path}` })),
  ...(
    [
      ['GET', '/health'],
      ['GET', '/ready'],
      ['POST', '/reset'],
      ['POST', '/reseed'],
      ['GET', '/snapshots'],
      ['POST', '/snapshots'],
      ['POST', '/snapshots/:name/restore'],
      ['DELETE', '/snapshots/:name'],
      ['GET', '/state'],
      ['GET', '/tokens'],
      ['GET', '/clock'],
      ['PUT', '/clock'],
      ['POST', '/clock/advance'],
      ['POST', '/clock/real'],
      ['GET', '/requests'],
      ['POST', '/requests/verify'],
      ['GET', '/worlds'],
      ['GET', '/faults'],
      ['GET', '/rate-limit'],
      // the inspector's read-only views
      ['GET', '/inspect/runners'],
      ['GET', '/inspect/runners/:runner'],
      ['GET', '/inspect/world'],
    ] as const
  ).map(([method, path]) => ({ method, path: `/-/mock${path}` })),
  { method: 'GET', path: '/-/health' },
  { method: 'GET', path: '/-/liveness' },
  { method: 'GET', path: '/-/readiness' },
]

/** Personal access, registration and runner tokens of the default fixture, plus made-up ones: the fuzzer's secrets. */
export const SECRETS: readonly string[] = [
  ...Object.values(TOKENS),
  ...Object.values(REGISTRATION),
  ...Object.values(RUNNER_TOKENS),
  'glpat-FuzzUnknownToken0001',
  'FuzzRunnerTokenXyz001',
]

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const

const oddIds = ['0', '-1', '99999999999999999999999', '9007199254740993', '1.5', 'abc', '1e3', '%201', '0x10', '+1', '%31', '%zz', '%00', '..', '%2e%2e', '%E2%9C%93', '9'.repeat(400)]
const runnerIds = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom(...oddIds) },
)
const projectIds = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 99, max: 120 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('acme%2Fbackend%2Fapi', 'ACME%2Fbackend%2FAPI', 'opensource%2Ftool', 'bob%2Fsandbox', 'acme%2Flegacy', 'acme%2Ffrontend%2Fweb', 'acme%2F', '%2F', 'nope%2Fnope') },
  { weight: 1, arbitrary: fc.constantFrom(...oddIds) },
)
const groupIds = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 9, max: 20 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('acme', 'ACME', 'acme%2Fbackend', 'acme%2Ffrontend', 'opensource', 'acme%2Fbackend%2Fapi', 'nope') },
  { weight: 1, arbitrary: fc.constantFrom(...oddIds) },
)
const userIds = fc.oneof(fc.integer({ min: 0, max: 20 }).map(String), fc.constantFrom('root', 'alice', ...oddIds))
const snapshotNames = fc.oneof(fc.constantFrom('default', 'a', 'b', '%2F', '%zz', ''), fc.string({ maxLength: 6 }).map(encodeURIComponent))

function fillTemplate(path: string): fc.Arbitrary<string> {
  const parts = path.split('/').map((segment): fc.Arbitrary<string> => {
    if (segment === ':runner') return runnerIds
    if (segment === ':project') return projectIds
    if (segment === ':group') return groupIds
    if (segment === ':user') return userIds
    if (segment === ':name') return snapshotNames
    return fc.constant(segment)
  })
  return fc.tuple(...parts).map((segments) => segments.join('/'))
}

/** Paths no route serves: prefixes, typos, doubled and trailing slashes. */
const strayPaths = fc.oneof(
  fc.constantFrom('/', '/api', '/api/v4', '/api/v4/', '/api/v3/runners', '//api/v4/runners', '/api/v4/runners/', '/api/v4/runners//1', '/api/v4/RUNNERS', '/-/mock', '/-/mock/', '/-/mock/nope', '/favicon.ico', '/api/v4/runners/1/2/3'),
  fc.string({ maxLength: 12 }).map((s) => `/api/v4/${encodeURIComponent(s)}`),
)

const QUERY_KEYS = [
  'scope', 'type', 'status', 'paused', 'tag_list', 'tag_list[]', 'page', 'per_page', 'order_by', 'sort', 'runner_id',
  'description', 'active', 'locked', 'run_untagged', 'access_level', 'maximum_timeout', 'search', 'owned', 'membership',
  'simple', 'min_access_level', 'all_available', 'username', 'info[name]', 'info', 'a[b]', 'a[]', 'a[b][c][]', 'x[',
  'y]]', '', '__proto__[polluted]', 'constructor[prototype][polluted]', 'sudo', 'seed', 'name', 'system_id', 'all',
] as const
const QUERY_VALUES = [
  '', '1', '0', '-1', 'true', 'false', 'TRUE', 'yes', 'abc', '99999999999999999999', '1.5', 'online', 'offline', 'stale',
  'never_contacted', 'paused', 'active', 'instance_type', 'group_type', 'project_type', 'specific', 'shared', 'asc',
  'desc', 'id', 'ref_protected', 'not_protected', 'linux,docker', 'a,,b, ,', '%zz', '%', '%2C', '%00', 'x'.repeat(300),
  'root', '3', 'running', 'success',
] as const
const SECRET_KEYS = ['private_token', 'access_token', 'token', 'job_token', 'private%5Ftoken', 'token[]'] as const

const queryPair = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.constantFrom(...QUERY_VALUES)).map(([k, v]) => `${k}=${v}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SECRET_KEYS), fc.constantFrom(...SECRETS)).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => encodeURIComponent(s)) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => `tag_list=${Array.from({ length: n }, (_, i) => `t${i}`).join(',')}`) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 140 }).map((n) => `a${'[b]'.repeat(n)}=1`) },
)
const query = fc.array(queryPair, { maxLength: 5 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`))

const header = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SECRETS).map((t): [string, string] => ['PRIVATE-TOKEN', t]) },
  { weight: 1, arbitrary: fc.constantFrom(...SECRETS).map((t): [string, string] => ['Authorization', `Bearer ${t}`]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('JOB-TOKEN', 'X-Mock-Control-Token', 'private-token'), fc.constantFrom(...SECRETS)) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<[string, string]>(
      ['Authorization', 'Bearer'],
      ['Authorization', 'Basic cm9vdDpwYXNz'],
      ['Authorization', 'bearer  '],
      ['PRIVATE-TOKEN', ''],
      ['PRIVATE-TOKEN', ' '],
      ['PRIVATE-TOKEN', 'glpat-'],
      ['Sudo', 'alice'],
      ['Sudo', '3'],
      ['Sudo', 'nobody'],
      ['Sudo', ''],
      ['If-Unmodified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['If-Unmodified-Since', 'not a date'],
      ['If-Unmodified-Since', 'Fri, 31 Dec 9999 23:59:59 GMT'],
      ['X-Forwarded-For', '10.1.2.3, 10.0.0.1'],
      ['X-Forwarded-For', ''],
      ['Accept', 'text/html'],
      ['Content-Type', 'application/json'],
    ),
  },
)
/** Mostly one usable credential (admins and owners most often), then odd extra headers. */
const credential = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Array<[string, string]>>([['PRIVATE-TOKEN', TOKENS.admin]]) },
  { weight: 3, arbitrary: fc.constantFrom(TOKENS.groupOwner, TOKENS.maintainer, TOKENS.developer, TOKENS.outsider, TOKENS.groupMaintainer, TOKENS.maintainerReadOnly).map((t): Array<[string, string]> => [['PRIVATE-TOKEN', t]]) },
  { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([]) },
)
const headers = fc.tuple(credential, fc.array(header, { maxLength: 1 })).map(([a, b]) => [...a, ...b])

const BODY_KEYS = [
  'token', 'description', 'active', 'paused', 'locked', 'run_untagged', 'tag_list', 'access_level', 'maximum_timeout',
  'maintenance_note', 'maintainer_note', 'info', 'runner_id', 'system_id', 'seed', 'name', 'now', 'frozen', 'seconds',
  'duration', 'fixture', 'unknown', '__proto__', 'constructor',
] as const
const bodyValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...QUERY_VALUES, true, false, null, 0, -1, 600, 3600, 1e300, 1.5, [], {}, ['a', 'b'], ['a', 1, null], { name: 'n', version: 1 }, '2h', '-3d', '2026-01-01T00:00:00Z') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
)
const jsonObject = fc.dictionary(fc.constantFrom(...BODY_KEYS.filter((k) => k !== 'token')), bodyValue, { maxKeys: 5 })
/** Secrets go only where credentials go (a `token` parameter), so an error that echoes another field is no leak. */
const formPair = fc.oneof(
  fc.tuple(fc.constantFrom(...BODY_KEYS.filter((k) => k !== 'token'), 'tag_list[]', 'info[name]', 'a[b][c]'), fc.constantFrom(...QUERY_VALUES)),
  fc.tuple(fc.constant('token'), fc.constantFrom(...SECRETS)),
)

const body = fc.oneof(
  { weight: 6, arbitrary: jsonObject.map((o) => ({ type: 'application/json', text: JSON.stringify(o) })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...SECRETS), jsonObject)
      .map(([token, o]) => ({ type: 'application/json', text: JSON.stringify({ ...o, token }) })),
  },
  { weight: 1, arbitrary: jsonObject.map((o) => ({ text: JSON.stringify(o) })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { type: 'application/json', text: '{' },
      { type: 'application/json', text: '' },
      { type: 'application/json', text: 'null' },
      { type: 'application/json', text: '[1,2]' },
      { type: 'application/json', text: '"text"' },
      { type: 'application/json', text: `${'['.repeat(5000)}${']'.repeat(5000)}` },
      { type: 'application/json', text: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}` },
      { type: 'application/json', text: '{"__proto__":{"description":"p"},"description":"x"}' },
      { type: 'text/plain', text: 'hello' },
      { type: 'application/xml', text: '<runner/>' },
      { type: 'application/octet-stream', text: '\u0000\u00ff' },
      { type: 'multipart/form-data; boundary=zz', text: 'not multipart' },
      { type: 'multipart/form-data', text: '--x\r\n' },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.array(formPair, { maxLength: 4 })
      .map((pairs) => ({ type: 'application/x-www-form-urlencoded', text: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') })),
  },
  {
    weight: 1,
    arbitrary: fc.array(formPair, { maxLength: 4 })
      .map((pairs) => ({
        type: 'multipart/form-data; boundary=FuzzBoundary',
        text: `${pairs.map(([k, v]) => `--FuzzBoundary\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--FuzzBoundary--\r\n`,
      })),
  },
)

/** One request to a real route (mostly with its own method), sometimes a stray path or another method. */
export function requestArbitrary(extra: readonly Endpoint[] = []): fc.Arbitrary<FuzzRequest> {
  const endpoints = [...ENDPOINTS, ...extra]
  const target = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...endpoints).chain((e) => fillTemplate(e.path).map((path) => ({ method: e.method, path }))) },
    { weight: 1, arbitrary: strayPaths.map((path) => ({ method: 'GET', path })) },
  )
  return fc
    .record({
      target,
      otherMethod: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      query,
      headers,
      body: fc.option(body, { freq: 3 }),
    })
    .map(({ target, otherMethod, query, headers, body }) => {
      const request: FuzzRequest = { method: otherMethod ?? target.method, url: `${target.path}${query}`, headers }
      if (body !== null) request.body = body
      return request
    })
}
