/** @module Loading a user's fixture: from a file path or an object, checked against the fixture schema (a precompiled validator) and for broken references, every problem listed. */
import { readFile } from 'node:fs/promises'
import { buildWorld } from './build-world.js'
import { FixtureError, type Fixture, type FixtureProblem } from './fixture-types.js'
import { fixtureProblems } from './fixture-validator.js'

/** Fixtures that passed checkFixture (MockWorld does not check them twice). */
const checked = new WeakSet<object>()

export function isCheckedFixture(fixture: unknown): boolean {
  return typeof fixture === 'object' && fixture !== null && checked.has(fixture)
}

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

/**
 * Check a fixture object against the schema; with schema problems, the reference problems are listed
 * too (a schema-valid fixture's reference problems come from the build). Throws FixtureError.
 */
export function checkFixture(data: unknown): Fixture {
  if (isCheckedFixture(data)) return data as Fixture
  const problems = fixtureProblems(data)
  if (problems.length > 0) throw new FixtureError([...problems, ...referenceProblems(data)])
  checked.add(data as object)
  return data as Fixture
}

/** `line:column` of a character offset (both from 1). */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const line = before.split('\n').length
  return `${line}:${offset - before.lastIndexOf('\n')}`
}

/** JSON.parse with the place of a syntax error: `line 3, column 14: Expected ',' …`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)?.[1]
    const offset = position !== undefined ? Number(position) : /end of JSON input/.test(message) ? text.length : undefined
    const where = offset === undefined ? '' : `line ${lineColumn(text, offset).replace(':', ', column ')}: `
    throw new SyntaxError(`${where}${message.replace(/ in JSON at position \d+.*$/s, '')}`)
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
      const e = error as NodeJS.ErrnoException
      const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message
      throw new FixtureError([{ path: '', message: `cannot read ${source}: ${reason} (${e.code ?? 'error'})` }])
    }
    try {
      data = parseJson(text)
    } catch (error) {
      throw new FixtureError([{ path: '', message: `${source} is not JSON: ${(error as Error).message}` }])
    }
  }
  return checkFixture(data)
}
