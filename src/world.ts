/** @module MockWorld: the live store plus what it was built from (seed, fixture, an immutable initial state), the clock, and named snapshots; reset, reseed, snapshot and restore live here. */
import { ControlledClock } from './domain/clock.js'
import { DEFAULT_GITLAB_VERSION, GitLabVersionError } from './domain/gitlab-version.js'
import { profileFor, type VersionProfile } from './domain/profile.js'
import { Store } from './domain/store.js'
import type { WorldState } from './domain/types.js'
import defaultFixture from '../fixtures/default.json' with { type: 'json' }
import { buildWorld } from './seed/build-world.js'
import { FixtureError, type Fixture, type FixtureProblem } from './seed/fixture-types.js'
import { dumpState, type StateDump } from './seed/dump.js'
import { fixtureWarnings } from './seed/fixture-warnings.js'
import { checkFixture, isCheckedFixture } from './seed/load-fixture.js'
import { wellKnownTokens, type WellKnownTokens } from './well-known-tokens.js'

export type { PersonalAccessTokenInfo, RegistrationTokenInfo, RunnerTokenInfo, TokenInfo, WellKnownTokens } from './well-known-tokens.js'

export const DEFAULT_SEED = 1

/** The default fixture shipped in fixtures/default.json. */
export const DEFAULT_FIXTURE = defaultFixture as Fixture

export interface WorldOptions {
  /** Seed for the generated filler and for tokens made at request time (default 1). */
  seed?: number | string
  /** A fixture object, default fixtures/default.json; checked against the schema like loadFixture (a FixtureError lists every problem). */
  fixture?: Fixture
  /** Freeze the clock at this instant (ISO string, Date or epoch ms); default: real time. */
  clock?: string | number | Date | null
  /**
   * The GitLab version to emulate, `X.Y` from 15.11 through 18.11 (throws GitLabVersionError otherwise).
   * Wins over the fixture's `settings.gitlab_version`; default 18.11.
   */
  gitlabVersion?: string
}

export function parseInstant(value: string | number | Date): number {
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(t)) throw new TypeError(`not an instant: ${String(value)}`)
  return t
}

/** Build a world; a fixture too malformed to walk (not checked with loadFixture) still fails as a FixtureError. */
function buildOrExplain(fixture: Fixture, seed: number | string, now: number, profile: VersionProfile): WorldState {
  try {
    return buildWorld({ fixture, seed, now, profile })
  } catch (error) {
    if (error instanceof FixtureError || fixture === DEFAULT_FIXTURE) throw error
    throw new FixtureError([{ path: '', message: `cannot be built (${(error as Error).message}); check it with loadFixture() to see every problem` }])
  }
}

/** What a world starts from: its immutable initial state and how it was made. Shared, never changed, so many worlds can start from one. */
export interface WorldTemplate {
  /** The initial state as a read-only template store: worlds start as forks of it. */
  readonly store: Store
  readonly builtAt: number
  readonly seed: number | string
  readonly fixture: Fixture
  /** The frozen first instant, or null for real time. */
  readonly clockAt: number | null
  /** The gitlabVersion option it was made with (undefined: the fixture's setting, else the default). */
  readonly versionOption: string | undefined
  readonly profile: VersionProfile
  readonly warnings: readonly FixtureProblem[]
}

/**
 * The profile a world emulates: the option, else the fixture's `settings.gitlab_version`, else 18.11. A bad
 * option throws GitLabVersionError; a bad fixture value is a FixtureError naming the setting.
 */
export function selectProfile(option: string | undefined, fixture: Fixture): VersionProfile {
  if (option !== undefined) return profileFor(option)
  const fromFixture = fixture.settings?.gitlab_version
  if (fromFixture === undefined) return profileFor(DEFAULT_GITLAB_VERSION)
  try {
    return profileFor(fromFixture)
  } catch (error) {
    if (error instanceof GitLabVersionError) throw new FixtureError([{ path: '/settings/gitlab_version', message: error.message }])
    throw error
  }
}

/** One line for banners: whether POST /runners takes registration tokens, and what decided it. */
export function registrationTokenNote(world: MockWorld): string {
  const allowed = world.store.state.settings.allowRunnerRegistrationToken
  const s = world.fixture.settings ?? {}
  const source =
    s.allow_runner_registration_token !== undefined
      ? "the fixture's allow_runner_registration_token"
      : s.registration_enabled !== undefined
        ? "the fixture's registration_enabled"
        : `GitLab ${world.profile.version}'s default`
  return `registration tokens ${allowed ? 'allowed' : 'disallowed (POST /runners answers 410)'} by ${source}`
}

export class MockWorld {
  readonly clock: ControlledClock
  #profile!: VersionProfile
  readonly #versionOption: string | undefined
  #store!: Store
  /** The initial state, read-only: the live store, resets and snapshots are copy-on-write forks of it. */
  #template!: Store
  #builtAt!: number
  #seed!: number | string
  #fixture!: Fixture
  #warnings: FixtureProblem[] = []
  /** Named snapshots: copy-on-write forks of the live store. */
  readonly #snapshots = new Map<string, Store>()
  readonly #clockAt: number | null

  /** A new world from options, or (given a template) a fresh world sharing another's initial state: as cheap as a reset (a fork of the template store). */
  constructor(options: WorldOptions = {}, template?: WorldTemplate) {
    this.#versionOption = template ? template.versionOption : options.gitlabVersion
    if (!template && options.gitlabVersion !== undefined) profileFor(options.gitlabVersion) // a bad version fails before anything else
    this.#clockAt = template ? template.clockAt : options.clock === undefined || options.clock === null ? null : parseInstant(options.clock)
    this.clock = new ControlledClock(this.#clockAt)
    if (template) {
      this.#template = template.store
      this.#builtAt = template.builtAt
      this.#seed = template.seed
      this.#fixture = template.fixture
      this.#profile = template.profile
      this.#warnings = [...template.warnings]
      this.reset()
    } else this.#install(options.seed ?? DEFAULT_SEED, options.fixture ?? DEFAULT_FIXTURE)
  }

  /**
   * A new world that starts from this world's initial state (not its current one), with its own clock,
   * store and snapshots; both share the initial records copy-on-write, so a copy costs about as much as
   * a reset, whatever the world's size.
   */
  copy(): MockWorld {
    return new MockWorld({}, this.template)
  }

  /** What this world was built from (unchanged by requests; a reseed replaces it). */
  get template(): WorldTemplate {
    return {
      store: this.#template,
      builtAt: this.#builtAt,
      seed: this.#seed,
      fixture: this.#fixture,
      clockAt: this.#clockAt,
      versionOption: this.#versionOption,
      profile: this.#profile,
      warnings: this.#warnings,
    }
  }

  /** Build the immutable initial state (throws FixtureError, touching nothing), then start from it. */
  #install(seed: number | string, fixture: Fixture): void {
    if (fixture !== DEFAULT_FIXTURE && !isCheckedFixture(fixture)) checkFixture(fixture)
    const builtAt = this.clock.initialNow()
    const profile = selectProfile(this.#versionOption, fixture)
    const template = Store.template(buildOrExplain(fixture, seed, builtAt, profile), this.clock, profile)
    this.#warnings = fixtureWarnings(fixture, builtAt, profile.staleAfter)
    this.clock.reset()
    this.#profile = profile
    this.#template = template
    this.#builtAt = builtAt
    this.#seed = seed
    this.#fixture = fixture
    this.#store = template.fork({ clock: this.clock })
  }

  /** The rules of the emulated GitLab version (a reseed with another fixture may change it, unless the option fixed it). */
  get profile(): VersionProfile {
    return this.#profile
  }

  get store(): Store {
    return this.#store
  }

  get seed(): number | string {
    return this.#seed
  }

  get fixture(): Fixture {
    return this.#fixture
  }

  /** Suspicious but valid things in the fixture (each with its JSON path): a contact before the creation, a stale intent that cannot hold. */
  get warnings(): readonly FixtureProblem[] {
    return this.#warnings
  }

  /**
   * Back to the initial state: ids, tokens and the request-time random sequence included. A frozen
   * clock returns to its first instant; with real time, the world's times keep their ages ("contacted
   * 5 minutes ago" still holds).
   */
  reset(): void {
    this.clock.reset()
    this.#store = this.#template.fork({ clock: this.clock, shiftMs: this.clock.now() - this.#builtAt })
  }

  /** Rebuild from another seed and/or fixture; on a bad fixture nothing changes. */
  reseed(options: { seed?: number | string; fixture?: Fixture }): void {
    this.#install(options.seed ?? this.#seed, options.fixture ?? this.#fixture)
  }

  /** Replace the live state (a copy the caller built from this world's state with copyState, e.g. with records added); the time frame stays. */
  replaceState(state: WorldState): void {
    this.#store = this.#store.rebuiltWith(state)
  }

  snapshot(name = 'default'): void {
    this.#snapshots.set(name, this.#store.fork())
  }

  /** Returns false when no snapshot has that name. */
  restore(name = 'default'): boolean {
    const saved = this.#snapshots.get(name)
    if (!saved) return false
    this.#store = saved.fork()
    return true
  }

  deleteSnapshot(name: string): boolean {
    return this.#snapshots.delete(name)
  }

  snapshotNames(): string[] {
    return [...this.#snapshots.keys()]
  }

  dump(): StateDump {
    return dumpState(this.#store, { seed: this.#seed, clockFrozen: this.clock.frozen })
  }

  /** Tokens of the records the fixture names (filler excluded), as they are now: maps and a described list. */
  wellKnownTokens(): WellKnownTokens {
    return wellKnownTokens(this.#store, this.#fixture)
  }
}
