/** @module What the OpenAPI generator needs to know of one operation, whichever table declares it (the endpoint table for /api/v4, the control description for /-/mock). */

export type Json = Record<string, unknown>

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface ParameterDoc {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description?: string
  schema: Json
}

export interface ResponseDoc {
  description: string
  /** JSON Schema of the body (refs into `#/components/…`); none for an empty body. */
  schema?: Json
  /** Media type of the body (default application/json). */
  mediaType?: string
  example?: unknown
}

export interface OperationDoc {
  method: HttpMethod
  /** Hono-style path, `:name` for a path parameter (`/-/mock/snapshots/:name/restore`). */
  path: string
  tag: string
  summary: string
  description?: string
  /** Security requirement names (keys of components.securitySchemes); empty: open. */
  security: string[]
  parameters?: ParameterDoc[]
  requestBody?: { description?: string; required?: boolean; schema: Json; example?: unknown; mediaTypes?: string[] }
  responses: Record<number, ResponseDoc>
}

/** `/runners/:id` → `/runners/{id}` (a Hono pattern such as `:file{a|b}` loses its pattern). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}')
}

/** The path parameters of a Hono-style path, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!)
}
