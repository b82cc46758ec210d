/**
 * @module Runner lists kept between requests. A list request walks every runner of a type (33k of 100k):
 * the runners a filter selected are kept per store and key, and given again while nothing that decides them
 * can have changed: no write to the store, the same version profile, the clock not moved back, and, for a
 * filter that reads the status, no walked runner's status due to change with time (status.ts
 * nextStatusChange). After writes that touched only some runners' records (Store#runnersWrittenSince), a kept
 * list is mended instead of walked again: each written runner is put in, taken out or replaced where its id
 * orders it (the store walks its runners in id order). The kept arrays are shared and mended in place (copying
 * one of 100k runners costs milliseconds): callers only read them, and only until the store's next write.
 */
import { nextStatusChange } from './status.js'
import type { Store } from './store.js'
import type { Runner, RunnerType } from './types.js'

interface Kept extends KeptFrom {
  runners: Runner[]
}

/** Distinct filters kept per store (each holds up to every runner: 0.8 MB at 100k); past it the oldest goes. */
const MAX_KEPT = 16
/** Past this many written runners a kept list is walked again rather than mended. */
const MAX_MENDED = 64
const kept = new WeakMap<Store, Map<string, Kept>>()

/**
 * The runners of `type` (undefined: every runner) that `keep` selects, in ascending id order, kept under `key`
 * (which must name everything `keep` depends on besides the runner's record and managers, the store's other
 * records and the time). `timed`: the selection reads statuses, so it holds only until the first walked runner's
 * status changes with time. The array is kept: the caller reads it before the store's next write.
 */
export function keptSelection(store: Store, key: string, timed: boolean, type: RunnerType | undefined, keep: (runner: Runner) => boolean): Runner[] {
  const now = store.now()
  let byKey = kept.get(store)
  const hit = byKey?.get(key)
  if (hit !== undefined) {
    const written = writtenSince(store, hit, now)
    if (written === UNWRITTEN) return hit.runners
    if (written !== undefined) {
      mend(store, hit, written, type, keep)
      hit.until = timed ? statusesStableUntil(store, type, now) : Infinity
      return hit.runners
    }
  }
  const runners = walk(store, type, keep)
  if (byKey === undefined) kept.set(store, (byKey = new Map()))
  else if (byKey.size >= MAX_KEPT && hit === undefined) byKey.delete(byKey.keys().next().value as string)
  byKey.set(key, { writes: store.writeCount, profile: store.profile, from: now, until: timed ? statusesStableUntil(store, type, now) : Infinity, runners })
  return runners
}

/** What a kept entry was made from: the store's write count, the profile, and the time span it holds for. */
interface KeptFrom {
  writes: number
  profile: unknown
  from: number
  until: number
}

const UNWRITTEN: readonly number[] = []

/**
 * Whether a kept entry can serve at `now`: UNWRITTEN when the store took no write since it was made, the runners
 * written since when they are few and every write since touched only them (the entry is then brought up to the
 * store's write count, from `now`: the caller mends what it holds), undefined when it must be made again.
 */
function writtenSince(store: Store, hit: KeptFrom, now: number): readonly number[] | undefined {
  if (hit.profile !== store.profile || now < hit.from || now >= hit.until) return undefined
  if (hit.writes === store.writeCount) return UNWRITTEN
  const written = store.runnersWrittenSince(hit.writes)
  if (written === undefined || written.length > MAX_MENDED) return undefined
  hit.writes = store.writeCount
  hit.from = now
  return written
}

/** The runners of `type` (every runner: undefined) in ascending id order. */
const runnersOf = (store: Store, type: RunnerType | undefined): Iterable<Runner> => (type === undefined ? store.runners() : store.runnersOfType(type))

function walk(store: Store, type: RunnerType | undefined, keep: (runner: Runner) => boolean): Runner[] {
  const runners: Runner[] = []
  // Stryker disable next-line ConditionalExpression: walking every runner gives the same list (`keep` checks the type)
  for (const runner of runnersOf(store, type)) if (keep(runner)) runners.push(runner)
  return runners
}

/** Where `id` is in `runners` (ascending ids), or where it would go: [index, found]. */
function place(runners: readonly Runner[], id: number): [number, boolean] {
  let lo = 0
  let hi = runners.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((runners[mid] as Runner).id < id) lo = mid + 1
    else hi = mid
  }
  return [lo, lo < runners.length && (runners[lo] as Runner).id === id]
}

/**
 * Bring a kept selection up to the store's write count, in place, by putting each written runner where a walk
 * would: by its id (the store walks its runners in ascending id order).
 */
function mend(store: Store, hit: Kept, written: readonly number[], type: RunnerType | undefined, keep: (runner: Runner) => boolean): void {
  const runners = hit.runners
  for (const id of written) {
    const record = store.runner(id)
    const selected = record !== undefined && (type === undefined || record.runnerType === type) && keep(record)
    const [index, found] = place(runners, id)
    if (found && selected) runners[index] = record
    else if (found) runners.splice(index, 1)
    else if (selected) runners.splice(index, 0, record)
  }
}

/** The earliest instant after `now` at which one of the written runners of `type` (any: undefined) changes status with time. */
function writtenChange(store: Store, written: readonly number[], type: RunnerType | undefined, now: number): number {
  const window = store.profile.staleAfter
  let until = Infinity
  for (const id of written) {
    const record = store.runner(id)
    if (record !== undefined && (type === undefined || record.runnerType === type)) until = Math.min(until, nextStatusChange(record, now, window))
  }
  return until
}

type Stable = KeptFrom
const stable = new WeakMap<Store, Map<RunnerType | undefined, Stable>>()

/**
 * The earliest instant after `now` at which a runner of `type` (every runner: undefined) changes status with
 * time: until then every status-reading filter selects the same runners. Kept per store and type like the lists.
 */
export function statusesStableUntil(store: Store, type: RunnerType | undefined, now: number): number {
  let byType = stable.get(store)
  const hit = byType?.get(type)
  if (hit !== undefined) {
    const written = writtenSince(store, hit, now)
    if (written === UNWRITTEN) return hit.until
    // After writes to some runners only: the earliest change is theirs or the one kept (both after now).
    if (written !== undefined) return (hit.until = Math.min(hit.until, writtenChange(store, written, type, now)))
  }
  const window = store.profile.staleAfter
  let until = Infinity
  for (const runner of runnersOf(store, type)) {
    const change = nextStatusChange(runner, now, window)
    if (change < until) until = change
  }
  if (byType === undefined) stable.set(store, (byType = new Map()))
  byType.set(type, { writes: store.writeCount, profile: store.profile, from: now, until })
  return until
}

/** Whether a filter reads statuses (its selection then changes with time). */
export const filterIsTimed = (filter: { status?: unknown; scope?: unknown }): boolean => filter.status !== undefined || filter.scope !== undefined
