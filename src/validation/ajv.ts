/** @module One Ajv setup for the response schemas: draft-07, every error collected, formats from ajv-formats. Loaded by the tests and the contract suite, never at start-up. */
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv

/** `verbose` keeps each error's data and schema (the response checks name the offending value). Same options as scripts/fixture-validator.mjs. */
export function createAjv(options: { verbose?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: options.verbose === true })
  addFormats(ajv)
  return ajv
}
