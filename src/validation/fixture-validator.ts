/** @module Validates a fixture against schemas/fixture.schema.json (compiled once). */
import fixtureSchema from '../../schemas/fixture.schema.json' with { type: 'json' }
import type { FixtureProblem } from '../seed/fixture-types.js'
import { createAjv, describeErrors } from './ajv.js'

let validate: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined

export function fixtureProblems(data: unknown): FixtureProblem[] {
  validate ??= createAjv().compile(fixtureSchema)
  if (validate(data)) return []
  // anyOf branches repeat themselves; keep one line per place and message.
  const seen = new Set<string>()
  return describeErrors(validate.errors).filter((p) => {
    const key = `${p.path} ${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
