/**
 * @module Worlds: independent GitLabs in one process. The unprefixed root is the world `default`;
 * `/-/worlds/<name>/…` addresses a named one, created on first use from the server's initial state
 * (sharing its immutable template, so as cheap as a reset). Each hosted world has its own store,
 * clock, snapshots, journal, fault rules and throttle. Bounded: past the limit the least recently
 * used idle world is dropped.
 */
import { MockWorld, type WorldOptions, type WorldTemplate } from '../world.js'
import { FaultSet } from './faults.js'
import { DEFAULT_JOURNAL_SIZE, Journal } from './journal.js'
import { Throttle, type RateLimitSetting } from './rate-limit.js'

export const DEFAULT_WORLD = 'default'
export const WORLDS_PREFIX = '/-/worlds/'
export const DEFAULT_MAX_WORLDS = 256
export const WORLD_NAME = /^[A-Za-z0-9_.-]{1,64}$/
export const WORLD_NAME_RULE = 'a world name is 1 to 64 characters from A-Z, a-z, 0-9, "_", "." and "-"'

/** The world could not be created: the limit is reached and every world is busy. */
export class WorldLimitError extends Error {}

/** One world as the server hosts it: the MockWorld plus its journal, faults, throttle and counters. */
export class HostedWorld {
  readonly createdAt = Date.now()
  requests = 0
  inFlight = 0
  lastUsed = 0
  readonly journal: Journal
  readonly faults: FaultSet
  throttle: Throttle | null

  constructor(
    readonly name: string,
    readonly world: MockWorld,
    options: { journalSize: number; rateLimit: RateLimitSetting | null },
  ) {
    this.journal = new Journal(options.journalSize)
    this.faults = new FaultSet(world.seed)
    this.throttle = options.rateLimit ? new Throttle(options.rateLimit) : null
  }

  /** Nothing but the routes to run: no journal, faults or throttle. */
  get passive(): boolean {
    return this.journal.capacity === 0 && this.faults.size === 0 && this.throttle === null
  }

  /** Back to the initial state; fault rules go too (the journal stays: it is the test's record). */
  reset(): void {
    this.world.reset()
    this.faults.clear()
  }

  /** Base URL path of this world on the server ('' for the default). */
  get prefix(): string {
    return this.name === DEFAULT_WORLD ? '' : `${WORLDS_PREFIX.slice(0, -1)}/${this.name}`
  }
}

export interface RegistryOptions {
  maxWorlds?: number
  journalSize?: number
  rateLimit?: RateLimitSetting | null
}

/** The server's worlds: the default one (never dropped) and named ones in least-recently-used order. */
export class WorldRegistry {
  readonly default: HostedWorld
  readonly maxWorlds: number
  readonly journalSize: number
  readonly rateLimit: RateLimitSetting | null
  /** The server's initial state, which new worlds start from (a reseed of the default world does not change it). */
  readonly #template: WorldTemplate
  readonly #named = new Map<string, HostedWorld>()
  #clock = 0

  constructor(world: MockWorld, options: RegistryOptions = {}) {
    this.maxWorlds = options.maxWorlds ?? DEFAULT_MAX_WORLDS
    this.journalSize = options.journalSize ?? DEFAULT_JOURNAL_SIZE
    this.rateLimit = options.rateLimit ?? null
    this.#template = world.template
    this.default = this.#host(DEFAULT_WORLD, world)
  }

  #host(name: string, world: MockWorld): HostedWorld {
    return new HostedWorld(name, world, { journalSize: this.journalSize, rateLimit: this.rateLimit })
  }

  /** The world by name, created from the initial state on first use. */
  get(name: string): HostedWorld {
    if (name === DEFAULT_WORLD) return this.default
    const found = this.#named.get(name)
    if (found) {
      found.lastUsed = ++this.#clock
      return found
    }
    return this.create(name)
  }

  has(name: string): boolean {
    return name === DEFAULT_WORLD || this.#named.has(name)
  }

  /** A new world; with options, built from them (seed, fixture, clock, GitLab version) instead of the initial state. */
  create(name: string, options?: WorldOptions): HostedWorld {
    const custom = options && Object.values(options).some((v) => v !== undefined)
    const world = custom
      ? new MockWorld({
          seed: options.seed ?? this.#template.seed,
          fixture: options.fixture ?? this.#template.fixture,
          clock: options.clock === undefined ? this.#template.clockAt : options.clock,
          gitlabVersion: options.gitlabVersion ?? this.#template.versionOption,
        })
      : new MockWorld({}, this.#template)
    this.#makeRoom()
    const hosted = this.#host(name, world)
    hosted.lastUsed = ++this.#clock
    this.#named.set(name, hosted)
    return hosted
  }

  /** Drop the least recently used idle world when the limit is reached. */
  #makeRoom(): void {
    if (this.#named.size < this.maxWorlds) return
    let victim: HostedWorld | undefined
    for (const w of this.#named.values()) if (w.inFlight === 0 && (!victim || w.lastUsed < victim.lastUsed)) victim = w
    if (!victim) throw new WorldLimitError(`all ${this.maxWorlds} worlds are busy; none can be dropped for a new one (raise --max-worlds)`)
    this.#named.delete(victim.name)
  }

  delete(name: string): boolean {
    return this.#named.delete(name)
  }

  /** Every world, the default first. */
  list(): HostedWorld[] {
    return [this.default, ...this.#named.values()]
  }
}

/**
 * The world a raw request path addresses: `{ name, rest }` for `/-/worlds/<name>/rest`, `invalid` for a
 * malformed name under the prefix, undefined for the root.
 */
export function worldOfPath(path: string): { name: string; rest: string } | 'invalid' | undefined {
  if (!path.startsWith(WORLDS_PREFIX)) return path === '/-/worlds' ? 'invalid' : undefined
  const end = path.indexOf('/', WORLDS_PREFIX.length)
  const name = end === -1 ? path.slice(WORLDS_PREFIX.length) : path.slice(WORLDS_PREFIX.length, end)
  if (!WORLD_NAME.test(name)) return 'invalid'
  return { name, rest: end === -1 ? '/' : path.slice(end) }
}
