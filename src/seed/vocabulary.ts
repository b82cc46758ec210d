/**
 * @module The small vocabularies a world's filler draws from (words, people, commit titles, notes), made by
 * faker (pinned, seeded by the world's seed). The default seed's vocabulary is precomputed
 * (vocabularies.generated.ts, written by `node scripts/vocabularies.mjs`; a test fails while it is stale), so
 * a world with the default seed, the CLI's default world among them, starts without loading faker.
 */
import { createRequire } from 'node:module'
import type { Faker } from '@faker-js/faker'
import { seedFrom } from '../domain/random.js'
import { PRECOMPUTED_VOCABULARIES } from './vocabularies.generated.js'

export interface Vocabulary {
  words: string[]
  people: Array<{ first: string; last: string }>
  commitTitles: string[]
  versions: string[]
  tags: string[]
  stages: string[]
  jobNames: string[]
  refs: string[]
  platforms: Array<[string, string]>
  notes: string[]
}

/** Everything faker contributes, drawn from faker seeded by the world's seed. */
export function drawVocabulary(seed: number | string): Vocabulary {
  const faker = loadFaker()
  faker.seed(seedFrom(`faker:${seed}`))
  const unique = (make: () => string, n: number) => {
    const set = new Set<string>()
    for (let i = 0; set.size < n && i < n * 20; i++) set.add(make())
    return [...set]
  }
  return {
    words: unique(() => faker.word.noun().toLowerCase().replace(/[^a-z0-9]/g, ''), 120).filter((w) => w.length > 1),
    people: Array.from({ length: 80 }, () => ({ first: faker.person.firstName(), last: faker.person.lastName() })),
    commitTitles: Array.from({ length: 60 }, () => faker.git.commitMessage()),
    versions: ['15.11.0', '15.11.1', '15.10.2', '15.9.3', '15.8.1', '16.0.0', '14.10.1'],
    tags: ['linux', 'docker', 'windows', 'macos', 'arm64', 'amd64', 'gpu', 'kubernetes', 'shell', 'ssh', 'large', 'privileged', ...unique(() => faker.hacker.noun().replace(/\s+/g, '-'), 12)],
    stages: ['build', 'test', 'deploy', 'lint', 'release'],
    jobNames: ['compile', 'unit-tests', 'integration', 'lint', 'package', 'deploy-staging', 'deploy-production', 'e2e', 'security-scan', 'docs'],
    refs: ['main', 'develop', 'release/15.11', 'feature/runner-fleet', 'v1.2.3'],
    platforms: [['linux', 'amd64'], ['linux', 'arm64'], ['windows', 'amd64'], ['darwin', 'arm64'], ['freebsd', 'amd64']],
    notes: Array.from({ length: 20 }, () => faker.lorem.sentence()),
  }
}

let faker: Faker | undefined

/** faker's English build from the installed package (a synchronous require of the ES module: Node 20.19+). */
let fakerSource = (): Faker => (createRequire(import.meta.url)('@faker-js/faker/locale/en') as { faker: Faker }).faker

/** Where faker comes from on first use instead (the Docker image has no node_modules: it carries faker in a file of its own). */
export function provideFaker(load: () => Faker): void {
  fakerSource = load
  faker = undefined
}

/** faker, loaded on first use: only a seed without a precomputed vocabulary needs it. */
function loadFaker(): Faker {
  faker ??= fakerSource()
  return faker
}

/** The vocabulary of a seed: precomputed for the default seed, drawn from faker for any other. */
export function vocabularyFor(seed: number | string): Vocabulary {
  return (PRECOMPUTED_VOCABULARIES[String(seed)] as Vocabulary | undefined) ?? drawVocabulary(seed)
}
