import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import defaultFixture from '../../fixtures/default.json' with { type: 'json' }
import { fixtureProblems } from './fixture-validator.js'
import { FixtureError, type FixtureProblem } from './fixture-types.js'
import { loadFixture, parseJson } from './load-fixture.js'

async function problemsOf(source: unknown): Promise<FixtureProblem[]> {
  try {
    await loadFixture(source)
  } catch (error) {
    expect(error).toBeInstanceOf(FixtureError)
    return (error as FixtureError).problems
  }
  throw new Error('the fixture was accepted')
}

const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-fixture-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** Two schema problems and two reference problems in one fixture. */
const MIXED_BAD = {
  users: [{ username: 'ann', admin: 'yes' }],
  projects: [{ path_with_namespace: 'ann/app', visibility: 'secret', members: { ghost: 'maintainer' } }],
  runners: [{ runner_type: 'project_type', projects: ['nobody/nothing'] }],
}
const MIXED_BAD_PROBLEMS = [
  { path: '/users/0/admin', message: 'must be boolean' },
  { path: '/projects/0/visibility', message: 'must be equal to one of the allowed values ("private", "internal", "public")' },
  { path: '/projects/0/members/ghost', message: 'unknown user ghost' },
  { path: '/runners/0/projects/0', message: 'unknown project nobody/nothing' },
]

describe('fixtures', () => {
  it('accepts the default fixture: it validates against schemas/fixture.schema.json', async () => {
    expect(fixtureProblems(defaultFixture)).toEqual([])
    await expect(loadFixture(defaultFixture)).resolves.toBe(defaultFixture)
  })

  it('loads a good fixture from a file path', async () => {
    const path = file('good.json', JSON.stringify({ users: [{ username: 'x' }], generate: { runners: 3 } }))
    await expect(loadFixture(path)).resolves.toEqual({ users: [{ username: 'x' }], generate: { runners: 3 } })
  })

  it('lists every schema problem and every reference problem of an object, each with its JSON path', async () => {
    expect(await problemsOf(MIXED_BAD)).toEqual(MIXED_BAD_PROBLEMS)
  })

  it('lists the same problems for the same fixture in a file', async () => {
    expect(await problemsOf(file('bad.json', JSON.stringify(MIXED_BAD)))).toEqual(MIXED_BAD_PROBLEMS)
  })

  it('names unknown keys, missing required fields, bad times and out-of-range numbers', async () => {
    const problems = await problemsOf({
      colour: 'red',
      users: [{ name: 'no username' }],
      runners: [{ runner_type: 'instance_type', contacted_at: 'yesterday' }],
      generate: { runners: -1 },
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/', message: 'must NOT have additional properties (colour)' },
        { path: '/users/0', message: "must have required property 'username'" },
        { path: '/generate/runners', message: 'must be >= 0' },
      ]),
    )
    expect(problems.some((p) => p.path === '/runners/0/contacted_at')).toBe(true)
  })

  it('refuses a missing file and a file that is not JSON, saying which', async () => {
    const missing = join(dir, 'missing.json')
    const [notFound] = await problemsOf(missing)
    expect(notFound?.path).toBe('')
    expect(notFound?.message).toBe(`cannot read ${missing}: no such file (ENOENT)`)
    const broken = file('broken.json', '{ "users": [')
    expect(await problemsOf(broken)).toEqual([{ path: '', message: `${broken} is not JSON: line 1, column 13: Unexpected end of JSON input` }])
  })

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseJson('{\n  "users": [\n    { "username" "x" }\n  ]\n}')).toThrow(/^line 3, column 18: /)
    expect(() => parseJson('{"a":1,}')).toThrow('line 1, column 8: Expected double-quoted property name')
  })

  it('ships a fixture validator generated from the current schema (run `node scripts/fixture-validator.mjs` when this fails)', async () => {
    // @ts-expect-error: a plain .mjs build script without declarations
    const { generateFixtureValidator, TARGET } = (await import('../../scripts/fixture-validator.mjs')) as { generateFixtureValidator: () => string; TARGET: string }
    expect(readFileSync(TARGET, 'utf8') === generateFixtureValidator()).toBe(true)
  })

  it('refuses something that is not an object', async () => {
    expect(await problemsOf([1, 2])).toEqual([{ path: '/', message: 'must be object' }])
  })

  it('puts every problem into the error message, one line each', async () => {
    try {
      await loadFixture(MIXED_BAD)
    } catch (error) {
      expect((error as Error).message).toBe(
        ['invalid fixture (4 problems):', ...MIXED_BAD_PROBLEMS.map((p) => `  ${p.path}: ${p.message}`)].join('\n'),
      )
    }
    expect.assertions(1)
  })
})

describe('settings.gitlab_version', () => {
  it('a version outside 15.11–18.11 is a reference problem, listed with the others', async () => {
    const { referenceProblems } = await import('./load-fixture.js')
    expect(referenceProblems({ settings: { gitlab_version: '19.2' }, jobs: [{ runner: 99, project: 'x/y', status: 'success' }] }).map((p) => p.path)).toEqual([
      '/settings/gitlab_version',
      '/jobs/0/runner',
      '/jobs/0/project',
    ])
    expect(referenceProblems({ settings: { gitlab_version: '17.4' } })).toEqual([])
  })
})
