/**
 * @module The response schemas of schemas/*.schema.json compiled once per mode and GitLab version: strict (the
 * fake: no undocumented field, every documented field present) and lenient (a real GitLab: documented fields
 * required with their types, extra fields reported, not failed). Fields carry the versions that have them
 * (`x-since`, `x-until`, `x-null-since`, `x-optional-since`; `x-optional` lists conditional fields). Failures come back as
 * path-precise problems.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import common from '../../schemas/common.schema.json' with { type: 'json' }
import error from '../../schemas/error.schema.json' with { type: 'json' }
import registrationTokenReset from '../../schemas/registration-token-reset.schema.json' with { type: 'json' }
import runnerDetails from '../../schemas/runner-details.schema.json' with { type: 'json' }
import runnerJob from '../../schemas/runner-job.schema.json' with { type: 'json' }
import runnerRegistration from '../../schemas/runner-registration.schema.json' with { type: 'json' }
import runnerTokenReset from '../../schemas/runner-token-reset.schema.json' with { type: 'json' }
import runner from '../../schemas/runner.schema.json' with { type: 'json' }
import runnerManager from '../../schemas/runner-manager.schema.json' with { type: 'json' }
import userRunner from '../../schemas/user-runner.schema.json' with { type: 'json' }
import groupDetail from '../../schemas/group-detail.schema.json' with { type: 'json' }
import group from '../../schemas/group.schema.json' with { type: 'json' }
import projectSimple from '../../schemas/project-simple.schema.json' with { type: 'json' }
import project from '../../schemas/project.schema.json' with { type: 'json' }
import userBasic from '../../schemas/user-basic.schema.json' with { type: 'json' }
import user from '../../schemas/user.schema.json' with { type: 'json' }
import { inVersionRange, isAtLeast, OLDEST_GITLAB_VERSION, type GitLabVersion } from '../domain/gitlab-version.js'
import { createAjv } from './ajv.js'

export type SchemaMode = 'strict' | 'lenient'

/** Every response schema, by name (the file name without `.schema.json`). */
export const RESPONSE_SCHEMAS = {
  runner,
  'runner-details': runnerDetails,
  'runner-job': runnerJob,
  'runner-registration': runnerRegistration,
  'runner-token-reset': runnerTokenReset,
  'registration-token-reset': registrationTokenReset,
  'runner-manager': runnerManager,
  'user-runner': userRunner,
  error,
  // The neighbours of the Runners API (GET /projects, /groups, /users).
  project,
  'project-simple': projectSimple,
  group,
  'group-detail': groupDetail,
  user,
  'user-basic': userBasic,
} as const

export type SchemaName = keyof typeof RESPONSE_SCHEMAS

/** A failed check: where (a JSON path such as `$[0].online`), what is wrong, and the offending value. */
export interface SchemaProblem {
  path: string
  message: string
  value?: unknown
  /** The cross-field rule that failed, when the problem comes from one (e.g. "paused is always the negation of active"). */
  rule?: string
}

/** A field the schema does not document (lenient mode reports these instead of failing). */
export interface ExtraField {
  path: string
  value: unknown
}

export interface SchemaResult {
  valid: boolean
  problems: SchemaProblem[]
  extras: ExtraField[]
}

const EXTRA_KEYWORD = 'x-extra-properties'
const LENIENT_OPTIONAL = 'x-lenient-optional'

type Json = Record<string, unknown>

/** Lenient copy of a schema: `additionalProperties: false` becomes a reporting keyword; x-lenient-optional fields are no longer required. */
export function lenientSchema<T>(schema: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    const out: Json = {}
    for (const [key, value] of Object.entries(node as Json)) out[key] = walk(value)
    if (out.additionalProperties === false) {
      delete out.additionalProperties
      out[EXTRA_KEYWORD] = Object.keys((out.properties as Json | undefined) ?? {})
    }
    const optional = out[LENIENT_OPTIONAL]
    if (Array.isArray(optional) && Array.isArray(out.required)) out.required = out.required.filter((k) => !optional.includes(k))
    return out
  }
  return walk(schema) as T
}

const SINCE = 'x-since'
const UNTIL = 'x-until'
const NULL_SINCE = 'x-null-since'
const OPTIONAL = 'x-optional'
const OPTIONAL_SINCE = 'x-optional-since'

/**
 * The schema as one GitLab version answers it: properties outside their `x-since`/`x-until` range dropped
 * (and no longer required), `x-null-since` properties null from that version, `x-optional` ones never required,
 * `x-optional-since` ones no longer required from that version.
 */
export function schemaForVersion<T>(schema: T, version: GitLabVersion): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    const out: Json = {}
    for (const [key, value] of Object.entries(node as Json)) if (![SINCE, UNTIL, NULL_SINCE, OPTIONAL, OPTIONAL_SINCE].includes(key)) out[key] = walk(value)
    const source = node as Json
    const properties = source.properties as Record<string, Json> | undefined
    if (properties && typeof properties === 'object') {
      const kept: Json = {}
      const dropped: string[] = []
      const optional = [...((source[OPTIONAL] as string[] | undefined) ?? [])]
      for (const [name, prop] of Object.entries(properties)) {
        const optionalSince = prop?.[OPTIONAL_SINCE] as GitLabVersion | undefined
        if (optionalSince !== undefined && isAtLeast(version, optionalSince)) optional.push(name)
        if (!inVersionRange(version, prop?.[SINCE] as GitLabVersion | undefined, prop?.[UNTIL] as GitLabVersion | undefined)) {
          dropped.push(name)
          continue
        }
        const nullSince = prop?.[NULL_SINCE] as GitLabVersion | undefined
        kept[name] = nullSince !== undefined && isAtLeast(version, nullSince) ? { type: 'null', description: `null from GitLab ${nullSince}` } : walk(prop)
      }
      out.properties = kept
      if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((k) => !dropped.includes(k) && !optional.includes(k))
    }
    return out
  }
  return walk(schema) as T
}

/** Extra fields found during the current (synchronous) lenient validation. */
let extrasSink: ExtraField[] = []

function buildAjv(mode: SchemaMode, version: GitLabVersion): Ajv {
  const ajv = createAjv({ verbose: true })
  ajv.addKeyword({ keyword: LENIENT_OPTIONAL, schemaType: 'array' })
  ajv.addKeyword({
    keyword: EXTRA_KEYWORD,
    type: 'object',
    schemaType: 'array',
    validate: (known: string[], data: Json, _parent?: unknown, ctx?: { instancePath: string }) => {
      for (const key of Object.keys(data)) if (!known.includes(key)) extrasSink.push({ path: jsonPath(`${ctx?.instancePath ?? ''}/${escapePointer(key)}`), value: data[key] })
      return true
    },
  })
  const prepare = mode === 'strict' ? <T>(s: T) => schemaForVersion(s, version) : <T>(s: T) => lenientSchema(schemaForVersion(s, version))
  ajv.addSchema(prepare(common))
  for (const schema of Object.values(RESPONSE_SCHEMAS)) ajv.addSchema(prepare(schema))
  return ajv
}

const compiled = new Map<string, ValidateFunction>()
const ajvs = new Map<string, Ajv>()

function validatorFor(name: SchemaName, mode: SchemaMode, array: boolean, version: GitLabVersion): ValidateFunction {
  const key = `${mode}:${version}:${name}:${array}`
  let validate = compiled.get(key)
  if (!validate) {
    let ajv = ajvs.get(`${mode}:${version}`)
    if (!ajv) ajvs.set(`${mode}:${version}`, (ajv = buildAjv(mode, version)))
    const id = (RESPONSE_SCHEMAS[name] as { $id: string }).$id
    validate = array ? ajv.compile({ type: 'array', items: { $ref: id } }) : (ajv.getSchema(id) as ValidateFunction)
    compiled.set(key, validate)
  }
  return validate
}

/** Validate a body against a named schema (`array` for list replies) as `version` answers it (default 15.11, the baseline). */
export function validateBody(name: SchemaName, data: unknown, mode: SchemaMode, options: { array?: boolean; version?: GitLabVersion } = {}): SchemaResult {
  const validate = validatorFor(name, mode, options.array === true, options.version ?? OLDEST_GITLAB_VERSION)
  extrasSink = []
  const valid = validate(data) as boolean
  const extras = dedupeExtras(extrasSink)
  extrasSink = []
  return { valid, problems: valid ? [] : describeProblems(validate.errors), extras }
}

function dedupeExtras(list: ExtraField[]): ExtraField[] {
  const seen = new Set<string>()
  return list.filter((e) => {
    if (seen.has(e.path)) return false
    seen.add(e.path)
    return true
  })
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** A JSON pointer (`/0/projects/1/id`) as a JSON path (`$[0].projects[1].id`). */
export function jsonPath(pointer: string): string {
  if (pointer === '' || pointer === '/') return '$'
  return (
    '$' +
    pointer
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_][\w]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
      .join('')
  )
}

function shown(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text
}

/** One line per problem: `$[0].online: must be boolean or null (got "yes")`. */
export function formatProblem(problem: SchemaProblem): string {
  const got = 'value' in problem ? ` (got ${shown(problem.value)})` : ''
  return `${problem.path}: ${problem.message}${got}${problem.rule ? ` [rule: ${problem.rule}]` : ''}`
}

const branchOf = (e: ErrorObject) => e.schemaPath.replace(/\/(if|anyOf|oneOf)$/, '')

/** Ajv's errors as problems: wrappers (if/anyOf) folded into their precise causes, each with its rule. */
export function describeProblems(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  const all = errors ?? []
  const ifs = all.filter((e) => e.keyword === 'if')
  const anys = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  const problems: SchemaProblem[] = []
  const seen = new Set<string>()
  for (const e of all) {
    if (e.keyword === 'if') continue
    // Errors inside a failed anyOf branch are summed up by the anyOf error itself.
    if (anys.some((a) => a !== e && e.schemaPath.startsWith(`${branchOf(a)}/${a.keyword}/`))) continue
    const rule = ifs.find((f) => e.schemaPath.startsWith(`${branchOf(f)}/then/`) || e.schemaPath.startsWith(`${branchOf(f)}/else/`))
    const ruleText = (rule?.parentSchema as { description?: string } | undefined)?.description
    const problem = describeOne(e)
    if (ruleText && e.keyword !== 'anyOf') problem.rule = ruleText
    const key = `${problem.path} ${problem.message} ${problem.rule ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  // A field with a type or format problem of its own is not also reported for the rules it then breaks.
  const plain = new Set(problems.filter((p) => !p.rule).map((p) => p.path))
  return problems.filter((p) => !p.rule || !plain.has(p.path))
}

function describeOne(e: ErrorObject): SchemaProblem {
  const params = e.params as Record<string, unknown>
  const at = e.instancePath
  switch (e.keyword) {
    case 'required':
      return { path: jsonPath(`${at}/${escapePointer(String(params.missingProperty))}`), message: 'is missing (a documented field)' }
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      return { path: jsonPath(`${at}/${escapePointer(key)}`), message: 'is not documented for this response', value: (e.data as Json)[key] }
    }
    case 'not': {
      const required = (e.schema as { required?: string[] } | undefined)?.required
      if (required?.length === 1) return { path: jsonPath(`${at}/${escapePointer(required[0] as string)}`), message: 'must be absent', value: (e.data as Json)[required[0] as string] }
      return { path: jsonPath(at), message: 'must not match the excluded form', value: e.data }
    }
    case 'type':
      return { path: jsonPath(at), message: `must be ${[params.type].flat().join(' or ')}`, value: e.data }
    case 'const':
      return { path: jsonPath(at), message: `must be ${shown(params.allowedValue)}`, value: e.data }
    case 'enum':
      return { path: jsonPath(at), message: `must be one of ${(params.allowedValues as unknown[]).map(shown).join(', ')}`, value: e.data }
    case 'format':
      return { path: jsonPath(at), message: `must be a ${String(params.format)} string`, value: e.data }
    case 'anyOf':
    case 'oneOf': {
      const description = (e.parentSchema as { description?: string } | undefined)?.description
      return { path: jsonPath(at), message: description ? `must be ${description}` : (e.message ?? e.keyword), value: e.data }
    }
    default:
      return { path: jsonPath(at), message: e.message ?? e.keyword, value: e.data }
  }
}
