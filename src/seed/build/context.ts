/** @module What every record builder shares: the problem list, time resolution, id and token claiming, and the name → id indexes that later record kinds resolve references through. */
import { monthsBefore } from '../../domain/status.js'
import { randomSource, seedFrom } from '../../domain/random.js'
import type { WorldState } from '../../domain/types.js'
import type { Fixture, FixtureProblem, FixtureTime } from '../fixture-types.js'

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** Resolve `now`, `-5m`, `-4mo`, `+1d` or an ISO instant against the build instant. */
export function resolveTime(value: FixtureTime, base: number): number | undefined {
  if (value === 'now') return base
  const rel = /^([+-])(\d+(?:\.\d+)?)(s|m|h|d|w|mo|y)$/.exec(value)
  if (rel) {
    const sign = rel[1] === '-' ? -1 : 1
    const amount = Number(rel[2])
    const unit = rel[3] as string
    if (unit === 'mo' || unit === 'y') {
      const months = unit === 'y' ? amount * 12 : amount
      return monthsBefore(base, -sign * months)
    }
    return base + sign * amount * (UNIT_MS[unit] as number)
  }
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : t
}

/** A stable token for a named record that has none: derived from the record's identity, not from the seed. */
export function stableToken(identity: string, make: (r: ReturnType<typeof randomSource>) => string): string {
  return make(randomSource({ rngState: seedFrom(identity) }))
}

type IdKind = 'user' | 'group' | 'project' | 'runner' | 'job' | 'runnerManager'

/** The state being built plus the helpers each record builder uses. */
export interface BuildContext {
  readonly state: WorldState
  readonly now: number
  problem(path: string, message: string): void
  /** A fixture time, or the fallback when absent; a bad value is a problem. */
  time(value: FixtureTime | undefined, path: string, fallback: number): number
  nullableTime(value: FixtureTime | null | undefined, path: string): number | null
  /** The record's explicit id or the next free one; a duplicate is a problem. */
  takeId(kind: IdKind, id: number | undefined, taken: { has(id: number): boolean }, path: string): number
  /** Tokens are unique across every record kind. */
  claimToken(token: string, path: string): void
  /** The next free id of each kind once every record is built. */
  nextIds(): Record<IdKind, number>
  /** Lower-cased username → user id. */
  readonly userIdByName: Map<string, number>
  /** Lower-cased group full path → group id. */
  readonly groupIdByPath: Map<string, number>
  /** Lower-cased project path with namespace → project id. */
  readonly projectIdByPath: Map<string, number>
}

export function createBuildContext(fixture: Fixture, state: WorldState, now: number, problems: FixtureProblem[]): BuildContext {
  const problem = (path: string, message: string) => {
    problems.push({ path, message })
  }
  const time = (value: FixtureTime | undefined, path: string, fallback: number): number => {
    if (value === undefined) return fallback
    const t = resolveTime(value, now)
    if (t === undefined) problem(path, `is not a time: ${JSON.stringify(value)}`)
    return t ?? fallback
  }
  // Explicit ids first, so records without one never take an id named later in the file.
  const explicit = (items: Array<{ id?: number }> | undefined) => Math.max(0, ...(items ?? []).map((i) => i.id ?? 0))
  const next: Record<IdKind, number> = {
    user: explicit(fixture.users) + 1,
    group: explicit(fixture.groups) + 1,
    project: explicit(fixture.projects) + 1,
    runner: explicit(fixture.runners) + 1,
    job: explicit(fixture.jobs) + 1,
    runnerManager: 1,
  }
  const allTokens = new Set<string>()
  return {
    state,
    now,
    problem,
    time,
    nullableTime: (value, path) => (value === null || value === undefined ? null : time(value, path, now)),
    takeId(kind, id, taken, path) {
      const value = id ?? next[kind]++
      if (taken.has(value)) problem(`${path}/id`, `duplicate id ${value}`)
      return value
    },
    claimToken(token, path) {
      if (allTokens.has(token)) problem(path, 'duplicate token')
      allTokens.add(token)
    },
    nextIds: () => ({ ...next }),
    userIdByName: new Map(),
    groupIdByPath: new Map(),
    projectIdByPath: new Map(),
  }
}
