/**
 * @module Checks a fixture against schemas/fixture.schema.json with ajv's standalone validator
 * (fixture-schema.generated.ts, made from the schema ahead of time): nothing is compiled at run time,
 * and nothing of it runs until the first fixture is checked.
 */
import type { ErrorObject } from 'ajv'
import type { FixtureProblem } from './fixture-types.js'
import { createFixtureValidate } from './fixture-schema.generated.js'

type StandaloneValidate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }

/** Built on first use: importing this module stays cheap for worlds that never check a fixture (the default one). */
let validate: StandaloneValidate | undefined

/** Ajv errors as `{ path, message }` pairs, a JSON pointer and a sentence. */
export function describeErrors(errors: ErrorObject[] | null | undefined): FixtureProblem[] {
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

/** The schema problems of a fixture, one line per place and message (anyOf branches repeat themselves). */
export function fixtureProblems(data: unknown): FixtureProblem[] {
  const check = (validate ??= createFixtureValidate() as StandaloneValidate)
  if (check(data)) return []
  const seen = new Set<string>()
  return describeErrors(check.errors).filter((p) => {
    const key = `${p.path} ${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
