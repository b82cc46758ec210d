/** @module Builds a WorldState from a fixture's named records: resolves references and relative times, fills defaults, and lists every problem instead of stopping at the first. One builder per record kind in `build/`, run in dependency order. */
import { profileFor, type VersionProfile } from '../domain/profile.js'
import { seedFrom } from '../domain/random.js'
import type { WorldState } from '../domain/types.js'
import { CowMap } from '../domain/cow-map.js'
import { IdTable } from '../domain/id-table.js'
import { JobTable } from '../domain/job-table.js'
import { FixtureError, type Fixture, type FixtureProblem } from './fixture-types.js'
import { generateFiller } from './generate.js'
import { createBuildContext } from './build/context.js'
import { buildSettings, checkSettings } from './build/settings.js'
import { buildUsers } from './build/users.js'
import { buildGroups, buildProjects } from './build/namespaces.js'
import { buildRunners } from './build/runners.js'
import { buildJobs } from './build/jobs.js'
import { buildRunnerManagers } from './build/runner-managers.js'

export { resolveTime } from './build/context.js'

export interface BuildOptions {
  fixture: Fixture
  seed: number | string
  /** The build instant: relative fixture times are resolved against it. */
  now: number
  /** The emulated version: its defaults fill settings the fixture leaves out (default: the library's default version). */
  profile?: VersionProfile
}

/** Build the world, or throw a FixtureError listing every problem. */
export function buildWorld({ fixture, seed, now, profile = profileFor() }: BuildOptions): WorldState {
  const problems: FixtureProblem[] = []
  const state: WorldState = {
    settings: buildSettings(fixture, profile),
    users: new Map(),
    tokens: new Map(),
    groups: new Map(),
    projects: new Map(),
    memberships: [],
    runners: new IdTable(),
    runnerManagers: new CowMap(),
    jobs: new JobTable(),
    counters: { user: 1, group: 1, project: 1, runner: 1, job: 1, runnerManager: 1 },
    rngState: seedFrom(`requests:${seed}`),
  }
  const ctx = createBuildContext(fixture, state, now, problems)
  ctx.claimToken(state.settings.registrationToken, '/settings/registration_token')
  checkSettings(fixture, ctx)

  buildUsers(fixture, ctx)
  buildGroups(fixture, ctx)
  buildProjects(fixture, ctx)
  buildRunners(fixture, ctx)
  buildRunnerManagers(fixture, ctx)
  buildJobs(fixture, ctx)

  if (problems.length > 0) throw new FixtureError(problems)
  state.counters = ctx.nextIds()
  if (fixture.generate) generateFiller(state, fixture.generate, { seed, now })
  return state
}
