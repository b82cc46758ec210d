/** @module One Ajv setup for the project: draft-07, every error collected, formats from ajv-formats. Loaded lazily: the default world never needs it at start-up. */
import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv

/** `verbose` keeps each error's data and schema (the response checks name the offending value). */
export function createAjv(options: { verbose?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: options.verbose === true })
  addFormats(ajv)
  return ajv
}

/** Ajv errors as `{ path, message }` pairs, a JSON pointer and a sentence. */
export function describeErrors(errors: ErrorObject[] | null | undefined): Array<{ path: string; message: string }> {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`
          : ''
    return { path: e.instancePath || '/', message: `${e.message ?? e.keyword}${extra}` }
  })
}
