/** @module Loading a user's fixture: from a file path or an object, checked against the fixture schema, every problem listed. */
import { readFile } from 'node:fs/promises'
import { FixtureError, type Fixture } from './fixture-types.js'

/** Read (if a path), parse and schema-check a fixture. References between records are checked when the world is built. */
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
  if (problems.length > 0) throw new FixtureError(problems)
  return data as Fixture
}
