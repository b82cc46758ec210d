/**
 * @module The served OpenAPI 3.1 document: the operations of the endpoint table for the emulated GitLab
 * version plus the control API's, restricted to the routes this app registers, with the project's
 * schemas as components. Built on first request and cached per version and route set.
 */
import type { GitLabVersion } from '../domain/gitlab-version.js'
import { declaredPath } from '../http/endpoint.js'
import { API_PREFIX } from '../http/endpoints/index.js'
import { schemaComponents } from './components.js'
import { openApiPath, pathParameterNames, type Json, type OperationDoc } from './operation.js'

export interface DocumentInput {
  /** The emulated GitLab release, e.g. `15.11.13`. */
  gitlabVersion: string
  /** The emulated version as the profile names it (`X.Y`): the schemas' fields follow it. */
  profileVersion: GitLabVersion
  /** Operations of the GitLab API (paths relative to /api/v4). */
  api: OperationDoc[]
  /** Operations outside /api/v4 (control API, health, pages), absolute paths. */
  other: OperationDoc[]
  /** `METHOD /path` of every route the app registers (Hono-style paths, /api/v4 included). */
  registered: ReadonlySet<string>
  /** Tag descriptions, in the order the renderer should show them. */
  tags: Array<{ name: string; description: string }>
}


export const SECURITY_SCHEMES: Record<string, Json> = {
  privateToken: { type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN', description: 'A personal access token (GET /-/mock/tokens lists the well-known ones)' },
  privateTokenQuery: { type: 'apiKey', in: 'query', name: 'private_token', description: 'The same token as a parameter' },
  accessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The same token as a parameter (OAuth style)' },
  bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <personal access token>' },
  runnerToken: { type: 'apiKey', in: 'query', name: 'token', description: "A runner's authentication token; also accepted in the form or JSON body" },
  registrationToken: { type: 'apiKey', in: 'query', name: 'token', description: 'A registration token (instance, group or project); also accepted in the form or JSON body' },
  controlToken: { type: 'apiKey', in: 'header', name: 'X-Mock-Control-Token', description: 'Only when the server was started with a control token' },
}

/** `user` stands for every way GitLab accepts a personal access token; `anonymous` (or no name at all) for no credentials. */
function securityOf(names: string[]): Json[] {
  if (names.length === 0) return [{}]
  const out: Json[] = []
  for (const name of names) {
    if (name === 'user') out.push({ privateToken: [] }, { bearer: [] }, { privateTokenQuery: [] }, { accessTokenQuery: [] })
    else if (name === 'anonymous') out.push({})
    else out.push({ [name]: [] })
  }
  return out
}

function operationObject(op: OperationDoc, pathPrefix: string): Json {
  const responses: Json = {}
  for (const [status, r] of Object.entries(op.responses)) {
    const response: Json = { description: r.description }
    if (r.schema) {
      const media: Json = { schema: r.schema }
      if (r.example !== undefined) media.example = r.example
      response.content = { [r.mediaType ?? 'application/json']: media }
    }
    const headers = (r as { headers?: Json }).headers
    if (headers) response.headers = headers
    responses[status] = response
  }
  const method = op.method.toLowerCase()
  const object: Json = {
    tags: [op.tag],
    summary: op.summary,
    operationId: `${method}${(pathPrefix + op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
  }
  if (op.description) object.description = op.description
  const pathParams = pathParameterNames(op.path)
  const declared = op.parameters ?? []
  const parameters = [
    // Every path parameter is declared, even where the table names none for it.
    ...pathParams.filter((name) => !declared.some((p) => p.in === 'path' && p.name === name)).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...declared.map((p) => ({ ...p, required: p.in === 'path' ? true : p.required === true })),
  ]
  if (parameters.length > 0) object.parameters = parameters
  if (op.requestBody) {
    const content: Json = {}
    for (const type of op.requestBody.mediaTypes ?? ['application/json']) {
      const media: Json = { schema: op.requestBody.schema }
      if (op.requestBody.example !== undefined && type === 'application/json') media.example = op.requestBody.example
      content[type] = media
    }
    object.requestBody = { required: op.requestBody.required === true, content, ...(op.requestBody.description ? { description: op.requestBody.description } : {}) }
  }
  object.security = securityOf(op.security)
  object.responses = responses
  return object
}

/** Build the document (pure: the same input gives the same document). */
export function buildOpenApiDocument(input: DocumentInput): Json {
  const paths: Record<string, Json> = {}
  const usedTags = new Set<string>()
  const add = (op: OperationDoc, prefix: string) => {
    const full = prefix + op.path
    if (!input.registered.has(`${op.method} ${full}`)) return
    const key = openApiPath(full)
    const item = (paths[key] ??= {})
    item[op.method.toLowerCase()] = operationObject(op, prefix)
    usedTags.add(op.tag)
  }
  for (const op of input.api) add(op, API_PREFIX)
  for (const op of input.other) add(op, '')
  return {
    openapi: '3.1.0',
    info: {
      title: `GitLab ${input.gitlabVersion} Runners API (gitlab-runners-mock)`,
      version: input.gitlabVersion,
      description: [
        `What this gitlab-runners-mock server answers: GitLab ${input.gitlabVersion}'s Runners API under /api/v4 and its neighbours,`,
        'and the mock\'s own control API under /-/mock (reset, snapshots, clock, tokens). Generated from the endpoint table and the',
        "project's JSON Schemas; every $ref resolves inside this document. The inspector is at /-/mock/ui.",
      ].join(' '),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'this server' }],
    tags: input.tags.filter((t) => usedTags.has(t.name)),
    paths,
    components: { schemas: schemaComponents(input.profileVersion), securitySchemes: SECURITY_SCHEMES },
  }
}

/** `METHOD /path` of every handler route a Hono app registers (middleware excluded), by its declared path. */
export function registeredRoutes(routes: ReadonlyArray<{ method: string; path: string; handler: unknown }>): Set<string> {
  const out = new Set<string>()
  for (const r of routes) if (r.method !== 'ALL') out.add(`${r.method} ${declaredPath(r)}`)
  return out
}
