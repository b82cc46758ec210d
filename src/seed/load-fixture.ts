/** @module Loading a user's fixture: from a file path or an object, checked against the fixture schema and for broken references, every problem listed. */
import { readFile } from 'node:fs/promises'
import { buildWorld } from './build-world.js'
import { FixtureError, type Fixture, type FixtureProblem } from './fixture-types.js'

/**
 * The reference problems (unknown users, projects, groups, runners; duplicates; bad times) a build
 * would report, found without running the generator. A shape too broken to walk reports nothing
 * here: the schema problems already say why.
 */
export function referenceProblems(data: unknown, now = Date.now()): FixtureProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return []
  try {
    buildWorld({ fixture: { ...(data as Fixture), generate: undefined }, seed: 0, now })
    return []
  } catch (error) {
    return error instanceof FixtureError ? error.problems : []
  }
}

/** Read (if a path), parse and check a fixture: schema problems and reference problems, all of them, or the fixture. */
export async function loadFixture(source: string | Fixture | unknown): Promise<Fixture> {
  let data: unknown = source
  if (typeof source === 'string') {
    let text: string
    try {
      text = await readFile(source, 'utf8')
    } catch (error) {
      throw new FixtureError([{ path: '', message: `cannot read ${source}: ${(error as Error).message}` }])
    }
    try {
      data = JSON.parse(text)
    } catch (error) {
      throw new FixtureError([{ path: '', message: `not JSON: ${(error as Error).message}` }])
    }
  }
  const { fixtureProblems } = await import('../validation/fixture-validator.js')
  const problems = fixtureProblems(data)
  if (problems.length > 0) throw new FixtureError([...problems, ...referenceProblems(data)])
  return data as Fixture
}
