/** @module MockWorld: the live store plus what it was built from (seed, fixture, an immutable initial state), the clock, and named snapshots; reset, reseed, snapshot and restore live here. */
import { ControlledClock } from './domain/clock.js'
import { profileFor, type VersionProfile } from './domain/profile.js'
import { Store } from './domain/store.js'
import type { WorldState } from './domain/types.js'
import defaultFixture from '../fixtures/default.json' with { type: 'json' }
import { buildWorld } from './seed/build-world.js'
import { FixtureError, type Fixture } from './seed/fixture-types.js'
import { dumpState, type StateDump } from './seed/dump.js'

export const DEFAULT_SEED = 1

/** The default fixture shipped in fixtures/default.json. */
export const DEFAULT_FIXTURE = defaultFixture as Fixture

export interface WorldOptions {
  /** Seed for the generated filler and for tokens made at request time (default 1). */
  seed?: number | string
  /** A fixture object (already validated: see loadFixture), default fixtures/default.json. */
  fixture?: Fixture
  /** Freeze the clock at this instant (ISO string, Date or epoch ms); default: real time. */
  clock?: string | number | Date | null
  /** The GitLab version to emulate, `X.Y` from 15.11 through 18.11 (throws GitLabVersionError otherwise). */
  gitlabVersion?: string
}

/** Well-known credentials of a world's named records. */
export interface WellKnownTokens {
  /** username → first usable personal access token (api or read_api scope, not expired or revoked). */
  users: Record<string, string>
  registration: { instance: string; groups: Record<string, string>; projects: Record<string, string> }
  /** runner id → authentication token, for runners named in the fixture. */
  runners: Record<string, string>
}

export function parseInstant(value: string | number | Date): number {
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(t)) throw new TypeError(`not an instant: ${String(value)}`)
  return t
}

/** Build a world; a fixture too malformed to walk (not checked with loadFixture) still fails as a FixtureError. */
function buildOrExplain(fixture: Fixture, seed: number | string, now: number): WorldState {
  try {
    return buildWorld({ fixture, seed, now })
  } catch (error) {
    if (error instanceof FixtureError || fixture === DEFAULT_FIXTURE) throw error
    throw new FixtureError([{ path: '', message: `cannot be built (${(error as Error).message}); check it with loadFixture() to see every problem` }])
  }
}

export class MockWorld {
  readonly clock: ControlledClock
  /** The rules of the emulated GitLab version. */
  readonly profile: VersionProfile
  #store!: Store
  /** The initial state, read-only: the live store, resets and snapshots are copy-on-write forks of it. */
  #template!: Store
  #builtAt!: number
  #seed!: number | string
  #fixture!: Fixture
  readonly #snapshots = new Map<string, Store>()
  readonly #frozenAt: number | null
  /** Set only while copy() constructs a world that shares this one's template. */
  static #copying: MockWorld | null = null

  constructor(options: WorldOptions = {}) {
    const source = MockWorld.#copying
    MockWorld.#copying = null
    this.profile = source ? source.profile : profileFor(options.gitlabVersion)
    this.#frozenAt = source ? source.#frozenAt : options.clock === undefined || options.clock === null ? null : parseInstant(options.clock)
    this.clock = new ControlledClock(this.#frozenAt)
    if (source) {
      this.#template = source.#template
      this.#builtAt = source.#builtAt
      this.#seed = source.#seed
      this.#fixture = source.#fixture
      this.reset()
    } else this.#install(options.seed ?? DEFAULT_SEED, options.fixture ?? DEFAULT_FIXTURE)
  }

  /**
   * A new world that starts from this world's initial state (not its current one), with its own clock,
   * store and snapshots; both share the initial records copy-on-write, so a copy costs about as much as
   * a reset, whatever the world's size.
   */
  copy(): MockWorld {
    MockWorld.#copying = this
    return new MockWorld()
  }

  /** Build the immutable initial state (throws FixtureError, touching nothing), then start from it. */
  #install(seed: number | string, fixture: Fixture): void {
    const builtAt = this.clock.initialNow()
    const template = Store.template(buildOrExplain(fixture, seed, builtAt), this.clock, this.profile)
    this.clock.reset()
    this.#template = template
    this.#builtAt = builtAt
    this.#seed = seed
    this.#fixture = fixture
    this.#store = template.fork({ clock: this.clock })
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

  /** Tokens of the records the fixture names (filler excluded), as they are now. */
  wellKnownTokens(): WellKnownTokens {
    const store = this.#store
    const now = store.now()
    const users: Record<string, string> = {}
    for (const u of this.#fixture.users ?? []) {
      const user = store.userByUsername(u.username)
      const usable = (u.tokens ?? []).find((t) => {
        const pat = store.personalAccessToken(t.token)
        return pat && !pat.revoked && (pat.expiresAt === null || pat.expiresAt > now) && pat.scopes.some((s) => s === 'api' || s === 'read_api')
      })
      if (user && usable) users[user.username] = usable.token
    }
    const groups: Record<string, string> = {}
    for (const g of this.#fixture.groups ?? []) {
      const group = store.groupByFullPath(g.full_path)
      if (group) groups[store.groupFullPath(group)] = group.runnersToken
    }
    const projects: Record<string, string> = {}
    for (const p of this.#fixture.projects ?? []) {
      const project = store.projectByFullPath(p.path_with_namespace)
      if (project) projects[store.projectFullPath(project)] = project.runnersToken
    }
    const runners: Record<string, string> = {}
    for (const r of this.#fixture.runners ?? []) {
      const runner = r.id === undefined ? undefined : store.runner(r.id)
      if (runner) runners[String(runner.id)] = runner.token
    }
    return { users, registration: { instance: store.state.settings.registrationToken, groups, projects }, runners }
  }
}
