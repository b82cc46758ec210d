/**
 * @module The project's JSON Schemas (schemas/*.schema.json, draft-07, linked by `$id` and relative
 * `$ref`s) as OpenAPI 3.1 components: each file becomes `#/components/schemas/<Name>`, its
 * `definitions` become `$defs`, and every reference is rewritten to point inside the document, so the
 * document is self-contained.
 */
import common from '../../schemas/common.schema.json' with { type: 'json' }
import fixture from '../../schemas/fixture.schema.json' with { type: 'json' }
import type { GitLabVersion } from '../domain/gitlab-version.js'
import { RESPONSE_SCHEMAS, schemaForVersion, type SchemaName } from '../validation/schemas.js'

type Json = Record<string, unknown>

/** Every schema file the document carries, by file name without `.schema.json`. */
export const DOCUMENT_SCHEMAS: Record<string, unknown> = { common, ...RESPONSE_SCHEMAS, fixture }

/** `runner-details` → `RunnerDetails`: the component name of a schema file. */
export function componentName(file: string): string {
  return file
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

/** `#/components/schemas/RunnerDetails`: where a response schema lives in the document. */
export function componentRef(name: SchemaName | 'fixture'): string {
  return `#/components/schemas/${componentName(name)}`
}

const FILE_REF = /^([a-z0-9-]+)\.schema\.json$/

/** A draft-07 pointer inside a schema file as a pointer inside the document's component. */
function rewritePointer(component: string, pointer: string): string {
  const inside = pointer.replace(/(^|\/)definitions(?=\/|$)/g, '$1$defs')
  return `#/components/schemas/${component}${inside}`
}

/** One `$ref` of file `own` rewritten: `#/definitions/x`, `other.schema.json` and `other.schema.json#/…` all point into the document. */
export function rewriteRef(own: string, ref: string): string {
  const hash = ref.indexOf('#')
  const file = hash === -1 ? ref : ref.slice(0, hash)
  const pointer = hash === -1 ? '' : ref.slice(hash + 1)
  if (file === '') return rewritePointer(componentName(own), pointer)
  const match = FILE_REF.exec(file)
  if (!match || !(match[1]! in DOCUMENT_SCHEMAS)) throw new Error(`schema ${own}: $ref ${ref} names no schema file of the project`)
  return rewritePointer(componentName(match[1]!), pointer)
}

/** A schema file as a component: `$schema`/`$id` dropped (the document's dialect is 2020-12), `definitions` → `$defs`, refs rewritten. */
export function toComponent(file: string, schema: unknown): Json {
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item))
    if (node === null || typeof node !== 'object') return node
    const out: Json = {}
    for (const [k, value] of Object.entries(node as Json)) {
      // Under `properties` and `$defs`, keys are names, not keywords.
      const isName = key === 'properties' || key === 'definitions' || key === '$defs' || key === 'patternProperties'
      if (!isName && (k === '$schema' || k === '$id')) continue
      if (!isName && k === '$ref' && typeof value === 'string') out.$ref = rewriteRef(file, value)
      else if (!isName && k === 'definitions') out.$defs = walk(value, 'definitions')
      else out[k] = walk(value, isName ? undefined : k)
    }
    return out
  }
  return walk(schema) as Json
}

const cached = new Map<GitLabVersion, Record<string, Json>>()

/** `components.schemas` of the document for one GitLab version: every schema file as that version answers it (fields outside their range dropped), rewritten; built once per version. */
export function schemaComponents(version: GitLabVersion): Record<string, Json> {
  let components = cached.get(version)
  if (!components) {
    components = {}
    for (const [file, schema] of Object.entries(DOCUMENT_SCHEMAS)) components[componentName(file)] = toComponent(file, schemaForVersion(schema, version))
    cached.set(version, components)
  }
  return components
}
