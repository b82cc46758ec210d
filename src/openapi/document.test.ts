import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { FIXED_NOW, harness, TOKENS, type Harness, type TestResponse } from '../../test/harness.js'
import { componentName, rewriteRef, toComponent } from './components.js'
import { openApiPath } from './operation.js'

type Json = Record<string, any>

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020

async function documentOf(h: Harness): Promise<Json> {
  const res = await h.app.request('http://gitlab.test/-/mock/openapi.json')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/json')
  return (await res.json()) as Json
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options']

function operationsOf(doc: Json): Set<string> {
  const out = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths as Json)) for (const method of Object.keys(item)) if (METHODS.includes(method)) out.add(`${method.toUpperCase()} ${path}`)
  return out
}

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out))
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refsOf(v, out)
    }
  }
  return out
}

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined
    node = (node as Json)[key]
  }
  return node
}


import { inVersionRange } from '../domain/gitlab-version.js'
import { declaredPath } from '../http/endpoint.js'
import { API_PREFIX, ENDPOINTS } from '../http/endpoints/index.js'
/** MockApp is a narrow public view; underneath it is the Hono app, whose route list is what was mounted. */
/** The app's routes by declared path (a parameter mounted with exclusions, see routePattern, named as declared). */
const routesOf = (app: unknown) => (app as { routes: Array<{ method: string; path: string; handler: unknown }> }).routes.map((r) => ({ method: r.method, path: declaredPath(r) }))

describe('schemas as components', () => {
  it('names components after their files and rewrites every kind of reference into the document', () => {
    expect(componentName('runner-details')).toBe('RunnerDetails')
    expect(rewriteRef('runner', '#/definitions/invariants')).toBe('#/components/schemas/Runner/$defs/invariants')
    expect(rewriteRef('project', 'common.schema.json#/definitions/basicProject/properties/id')).toBe('#/components/schemas/Common/$defs/basicProject/properties/id')
    expect(rewriteRef('group-detail', 'project.schema.json')).toBe('#/components/schemas/Project')
    expect(() => rewriteRef('runner', 'elsewhere.schema.json#/x')).toThrow(/names no schema file/)
  })

  it('drops $schema and $id keywords but keeps properties that carry those names', () => {
    const out = toComponent('fixture', {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://x/fixture.schema.json',
      properties: { $schema: { type: 'string' } },
      definitions: { a: { $ref: '#/definitions/b' }, b: { type: 'integer' } },
    })
    expect(out).toEqual({ properties: { $schema: { type: 'string' } }, $defs: { a: { $ref: '#/components/schemas/Fixture/$defs/b' }, b: { type: 'integer' } } })
  })
})

describe('GET /-/mock/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await documentOf(harness())
    expect(doc.openapi).toBe('3.1.0')
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    // The validator does judge: a parameter without its location is refused.
    const broken = structuredClone(doc)
    delete broken.paths['/-/readiness'].get.parameters[0].in
    expect((await new Validator().validate(broken)).valid).toBe(false)
  })

  it('is self-contained: every $ref points inside the document and resolves', async () => {
    const doc = await documentOf(harness())
    const refs = refsOf(doc)
    expect(refs.length).toBeGreaterThan(100)
    const broken = [...new Set(refs)].filter((ref) => resolvePointer(doc, ref) === undefined)
    expect(broken).toEqual([])
  })

  it('lists every route the app answers, and nothing else', async () => {
    const h = harness()
    const doc = await documentOf(h)
    // Table entries outside the world's GitLab version are mounted but pass every request on: not operations of this server.
    const version = h.app.world.profile.version
    const absent = new Set(ENDPOINTS.filter((e) => !inVersionRange(version, e.since, e.until)).map((e) => `${e.method} ${API_PREFIX}${e.path}`))
    const registered = new Set(routesOf(h.app).filter((r) => r.method !== 'ALL' && !absent.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${openApiPath(r.path)}`))
    expect([...operationsOf(doc)].sort()).toEqual([...registered].sort())
  })

  it('lists an /api/v4 route exactly when it answers something other than the route-not-found 404, per GitLab version', async () => {
    for (const version of ['15.11', '16.0', '17.1', '18.11']) {
      const h = harness({ gitlabVersion: version })
      const documented = operationsOf(await documentOf(h))
      const routes = [...new Set(routesOf(h.app).filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v4/')).map((r) => `${r.method} ${r.path}`))]
      expect(routes.length).toBeGreaterThan(20)
      for (const route of routes) {
        const [method, path] = route.split(' ') as [string, string]
        const res = await h.app.request(`http://gitlab.test${path.replace(/:[a-z_]+/g, '1')}`, { method, headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
        const body = (await res.json().catch(() => null)) as Json | null
        const answered = !(res.status === 404 && body?.error === '404 Not Found')
        const listed = documented.has(`${method} ${openApiPath(path)}`)
        // An endpoint this version lacks passes the request on: a documented route that also matches the path may answer it (15.11: DELETE /runners/managers reaches DELETE /runners/:id).
        const fallsThrough = !listed && routes.some((other) => other !== route && other.startsWith(`${method} `) && documented.has(`${method} ${openApiPath(other.slice(method.length + 1))}`) && new RegExp(`^${other.slice(method.length + 1).replace(/:[a-z_]+/g, '[^/]+')}$`).test(path.replace(/:[a-z_]+/g, '1')))
        if (!fallsThrough) expect(listed, `${version}: ${route} answers ${res.status}`).toBe(answered)
      }
    }
  })

  it('describes the emulated GitLab version, the security schemes and the control API under its own tag', async () => {
    const h = harness()
    const doc = await documentOf(h)
    expect(doc.info.version).toBe(h.app.world.profile.release.version)
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['privateToken', 'privateTokenQuery', 'bearer', 'runnerToken', 'controlToken']))
    expect(doc.paths['/-/mock/reset'].post.tags).toEqual(['Control API'])
    expect(doc.paths['/-/mock/clock/advance'].post.requestBody.content['application/json'].example).toEqual({ duration: '3mo' })
    expect(doc.paths['/api/v4/runners/{id}'].get.tags).toEqual(['Runners'])
    expect(doc.tags.map((t: Json) => t.name)).toContain('Control API')
  })

  it('leaves out the control API, pages included, when the control API is off', async () => {
    const h = harness({ control: false })
    expect((await h.app.request('http://gitlab.test/-/mock/openapi.json')).status).toBe(404)
  })

  it('stays open (as the docs and inspector pages do) when a control token guards the control API', async () => {
    const h = harness({ controlToken: 's3cret' })
    for (const path of ['/-/mock/openapi.json', '/-/mock/docs', '/-/mock/docs/init.js']) expect((await h.app.request(`http://gitlab.test${path}`)).status, path).toBe(200)
    expect((await h.app.request('http://gitlab.test/-/mock/tokens')).status).toBe(401)
  })
})

describe('real responses match the document', () => {
  /** The schema of an operation's reply with that status, with the document's components beside it so its refs resolve. */
  function validatorFor(doc: Json, ajv: Ajv2020, method: string, path: string, status: number) {
    const item = doc.paths[path]
    expect(item, `${path} in the document`).toBeDefined()
    const operation = item[method.toLowerCase()]
    expect(operation, `${method} ${path} in the document`).toBeDefined()
    const response = operation.responses[String(status)]
    expect(response, `${method} ${path}: status ${status} documented`).toBeDefined()
    const media = response.content?.['application/json']
    if (!media) return null
    return ajv.compile({ ...media.schema, components: doc.components })
  }

  it('a sample of API and control replies validates against its operation and status', async () => {
    const h = harness()
    const doc = await documentOf(h)
    const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true })
    addFormats(ajv)
    const admin = { token: TOKENS.admin }
    const sample: Array<[string, string, string, () => Promise<TestResponse>]> = [
      ['GET', '/api/v4/runners/all', 'list of every runner', () => h.get('/runners/all', admin)],
      ['GET', '/api/v4/runners', 'owned runners', () => h.get('/runners', { token: TOKENS.maintainer })],
      ['GET', '/api/v4/runners/{id}', 'details', () => h.get('/runners/1', admin)],
      ['GET', '/api/v4/runners/{id}', 'not found', () => h.get('/runners/999999', admin)],
      ['GET', '/api/v4/runners/{id}', 'unauthorized', () => h.get('/runners/1')],
      ['PUT', '/api/v4/runners/{id}', 'update', () => h.put('/runners/1', { ...admin, body: { description: 'edited' } })],
      ['PUT', '/api/v4/runners/{id}', 'bad parameter', () => h.put('/runners/1', { ...admin, body: {} })],
      ['GET', '/api/v4/runners/{id}/jobs', 'jobs', () => h.get('/runners/1/jobs', admin)],
      ['GET', '/api/v4/projects/{id}/runners', 'project runners', () => h.get('/projects/6/runners', admin)],
      ['GET', '/api/v4/groups/{id}/runners', 'group runners', () => h.get('/groups/1/runners', admin)],
      ['POST', '/api/v4/runners/verify', 'verify', () => h.post('/runners/verify', { form: { token: 'SharedRunnerToken001' } })],
      ['POST', '/api/v4/runners', 'register', () => h.post('/runners', { form: { token: 'InstanceRegToken0001', description: 'new' } })],
      ['POST', '/api/v4/runners/reset_registration_token', 'reset', () => h.post('/runners/reset_registration_token', admin)],
      ['GET', '/api/v4/projects', 'projects', () => h.get('/projects', admin)],
      ['GET', '/api/v4/projects', 'simple projects', () => h.get('/projects', { ...admin, query: { simple: true } })],
      ['GET', '/api/v4/groups/{id}', 'group', () => h.get('/groups/1', admin)],
      ['GET', '/api/v4/users', 'users', () => h.get('/users', admin)],
      ['GET', '/api/v4/users/{id}', 'user', () => h.get('/users/1', admin)],
      ['GET', '/api/v4/version', 'version', () => h.get('/version', admin)],
      ['GET', '/-/mock/tokens', 'tokens', () => h.get('/-/mock/tokens')],
      ['GET', '/-/mock/clock', 'clock', () => h.get('/-/mock/clock')],
      ['POST', '/-/mock/clock/advance', 'advance', () => h.post('/-/mock/clock/advance', { body: { duration: '3mo' } })],
      ['POST', '/-/mock/clock/advance', 'bad duration', () => h.post('/-/mock/clock/advance', { body: { duration: 'soon' } })],
      ['POST', '/-/mock/snapshots', 'snapshot', () => h.post('/-/mock/snapshots', { body: { name: 'one' } })],
      ['GET', '/-/mock/snapshots', 'snapshots', () => h.get('/-/mock/snapshots')],
      ['POST', '/-/mock/snapshots/{name}/restore', 'missing snapshot', () => h.post('/-/mock/snapshots/none/restore')],
      ['GET', '/-/mock/requests', 'journal', () => h.get('/-/mock/requests')],
      ['POST', '/-/mock/requests/verify', 'verify, matched', () => h.post('/-/mock/requests/verify', { body: { endpoint: 'GET /api/v4/runners/:id', at_least: 1 } })],
      ['POST', '/-/mock/faults', 'add a fault', () => h.post('/-/mock/faults', { body: { endpoint: 'GET /api/v4/users/:id', preset: 'unavailable', status: 503, times: 1 } })],
      ['GET', '/-/mock/faults', 'faults', () => h.get('/-/mock/faults')],
      ['POST', '/-/mock/worlds', 'create a world', () => h.post('/-/mock/worlds', { body: { name: 'sample', seed: 3 } })],
      ['GET', '/-/mock/worlds', 'worlds', () => h.get('/-/mock/worlds')],
      ['POST', '/-/mock/reset', 'reset', () => h.post('/-/mock/reset')],
      ['GET', '/-/mock/ready', 'ready', () => h.get('/-/mock/ready')],
    ]
    const failures: string[] = []
    for (const [method, path, what, send] of sample) {
      const res = await send()
      const validate = validatorFor(doc, ajv, method, path, res.status)
      if (validate && !validate(res.body)) failures.push(`${method} ${path} (${what}) ${res.status}: ${ajv.errorsText(validate.errors)}`)
    }
    expect(failures).toEqual([])
    // …and the check can fail: a body missing documented fields does not validate.
    expect(validatorFor(doc, ajv, 'GET', '/api/v4/runners/{id}', 200)!({ id: 1 })).toBe(false)
    expect(h.app.world.clock.now()).toBe(Date.parse(FIXED_NOW)) // reset came last
  })
})
