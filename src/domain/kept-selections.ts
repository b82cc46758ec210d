/**
 * @module Runner lists kept between requests. A list request walks every runner of a type (33k of 100k):
 * the runners a filter selected are kept per store and key, and given again while nothing that decides them
 * can have changed: no write to the store, the same version profile, the clock not moved back, and, for a
 * filter that reads the status, no walked runner's status due to change with time (status.ts
 * nextStatusChange). The kept arrays are shared: callers only read them.
 */
import { nextStatusChange } from './status.js'
import type { Store } from './store.js'
import type { Runner, RunnerType } from './types.js'

interface Kept {
  writes: number
  profile: unknown
  from: number
  until: number
  runners: Runner[]
}

/** Distinct filters kept per store (each holds up to every runner: 0.8 MB at 100k); past it the oldest goes. */
const MAX_KEPT = 16
const kept = new WeakMap<Store, Map<string, Kept>>()

/**
 * The runners `walk` selects, kept under `key` (which must name everything the selection depends on besides
 * the store's records and the time). `timed`: the selection reads statuses, so it holds only until the first
 * walked runner's status changes with time; `type` names the runners walked (undefined: all of them).
 */
export function keptSelection(store: Store, key: string, timed: boolean, type: RunnerType | undefined, walk: () => Runner[]): Runner[] {
  const now = store.now()
  let byKey = kept.get(store)
  const hit = byKey?.get(key)
  if (hit !== undefined && hit.writes === store.writeCount && hit.profile === store.profile && now >= hit.from && now < hit.until) return hit.runners
  const runners = walk()
  if (byKey === undefined) kept.set(store, (byKey = new Map()))
  else if (byKey.size >= MAX_KEPT && hit === undefined) byKey.delete(byKey.keys().next().value as string)
  byKey.set(key, { writes: store.writeCount, profile: store.profile, from: now, until: timed ? statusesStableUntil(store, type, now) : Infinity, runners })
  return runners
}

interface Stable {
  writes: number
  profile: unknown
  from: number
  until: number
}
const stable = new WeakMap<Store, Map<RunnerType | undefined, Stable>>()

/**
 * The earliest instant after `now` at which a runner of `type` (every runner: undefined) changes status with
 * time: until then every status-reading filter selects the same runners. Kept per store and type like the lists.
 */
export function statusesStableUntil(store: Store, type: RunnerType | undefined, now: number): number {
  let byType = stable.get(store)
  const hit = byType?.get(type)
  if (hit !== undefined && hit.writes === store.writeCount && hit.profile === store.profile && now >= hit.from && now < hit.until) return hit.until
  const window = store.profile.staleAfter
  let until = Infinity
  for (const runner of type === undefined ? store.runners() : store.runnersOfType(type)) {
    const change = nextStatusChange(runner, now, window)
    if (change < until) until = change
  }
  if (byType === undefined) stable.set(store, (byType = new Map()))
  byType.set(type, { writes: store.writeCount, profile: store.profile, from: now, until })
  return until
}

/** Whether a filter reads statuses (its selection then changes with time). */
export const filterIsTimed = (filter: { status?: unknown; scope?: unknown }): boolean => filter.status !== undefined || filter.scope !== undefined
