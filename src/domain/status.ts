/** @module Runner status as GitLab derives it from contacted_at, created_at, active and "now" (gitlab-behaviour.md §4); the stale window comes from the version profile (3 calendar months; 7 days from 17.1). */
import type { ProfileRules } from './profile.js'
import type { Runner } from './types.js'

/** ONLINE_CONTACT_TIMEOUT: contacted within the last 2 hours. */
export const ONLINE_CONTACT_TIMEOUT_MS = 2 * 60 * 60 * 1000

/** How long a runner may go unseen before it is stale: a profile's `staleAfter`. Every caller passes the store's (no default, so no rule silently uses 15.11's window on a later version). */
export type StaleWindow = ProfileRules['staleAfter']

const DAY_MS = 86_400_000

/** The instant at or before which a runner last seen is stale (`STALE_TIMEOUT.ago`). Calendar months go through the cached monthsBefore. */
export function staleDeadline(now: number, window: StaleWindow): number {
  return 'days' in window ? now - window.days * DAY_MS : monthsBefore(now, window.months)
}

export type RunnerStatus = 'online' | 'offline' | 'paused' | 'never_contacted' | 'stale'

/** `n.months.ago` as Rails computes it: calendar months, clamped to the last day of a shorter month. */
export function monthsBefore(now: number, months: number): number {
  // A list serializes every runner with the same `now`, and seeding draws stale runners a few months back from one
  // `now`: the answers for the last `now` are kept by month count (a pure function, the same result).
  // Stryker disable next-line ConditionalExpression,BlockStatement: skipping the cache only recomputes the same values
  if (now !== monthsFrom) {
    monthsFrom = now
    monthsAgo.length = 0
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: other counts are computed each time, as any count could be
  if (!(Number.isInteger(months) && months >= 0 && months < 64)) return computeMonthsBefore(now, months)
  let result = monthsAgo[months]
  // Stryker disable next-line ConditionalExpression: skipping the cache only recomputes the same value
  if (result === undefined) monthsAgo[months] = result = computeMonthsBefore(now, months)
  return result
}

let monthsFrom = Number.NaN
/** monthsBefore(monthsFrom, k) by k. */
const monthsAgo: number[] = []

function computeMonthsBefore(now: number, months: number): number {
  const d = new Date(now)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() - months)
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, lastDay))
  return d.getTime()
}

/** `online`: contacted in the last two hours; null when never contacted. */
export function isOnline(runner: Runner, now: number): boolean | null {
  if (runner.contactedAt === null) return null
  return runner.contactedAt > now - ONLINE_CONTACT_TIMEOUT_MS
}

export function isStale(runner: Runner, now: number, window: StaleWindow): boolean {
  const lastSeen = Math.max(runner.createdAt, runner.contactedAt ?? runner.createdAt)
  return lastSeen <= staleDeadline(now, window)
}

/** The deprecated REST status the entities expose: stale, never_contacted, online/offline, else paused. */
export function runnerStatus(runner: Runner, now: number, window: StaleWindow): RunnerStatus {
  if (isStale(runner, now, window)) return 'stale'
  if (runner.contactedAt === null) return 'never_contacted'
  if (runner.active) return isOnline(runner, now) ? 'online' : 'offline'
  return 'paused'
}

/** Status filter values; they overlap (an online runner can be paused). `not_connected` is the documented name of never_contacted. */
export const STATUS_FILTERS = ['active', 'paused', 'online', 'offline', 'never_contacted', 'stale', 'not_connected'] as const
export type StatusFilter = (typeof STATUS_FILTERS)[number]

export function matchesStatus(runner: Runner, filter: StatusFilter, now: number, window: StaleWindow): boolean {
  switch (filter) {
    case 'active':
      return runner.active
    case 'paused':
      return !runner.active
    case 'online':
      return isOnline(runner, now) === true
    case 'offline':
      return isOnline(runner, now) === false
    case 'never_contacted':
    case 'not_connected':
      return runner.contactedAt === null
    case 'stale':
      return isStale(runner, now, window)
  }
}

/**
 * The first instant after `now` at which time alone could change the runner's status (with no write to
 * it): an online runner goes offline two hours after its last contact, and a runner goes stale once the
 * stale window has passed since it was last seen. Infinity for a stale runner. Lists kept between requests
 * stay valid until the earliest of these (src/domain/kept-selections.ts); for calendar months the instant
 * may come early (never late): a month is at least 28 days.
 */
export function nextStatusChange(runner: Runner, now: number, window: StaleWindow): number {
  const lastSeen = Math.max(runner.createdAt, runner.contactedAt ?? runner.createdAt)
  if (lastSeen <= staleDeadline(now, window)) return Infinity
  const stale = 'days' in window ? lastSeen + window.days * DAY_MS : Math.max(lastSeen + window.months * 28 * DAY_MS, now + 1)
  const online = runner.contactedAt !== null && runner.contactedAt > now - ONLINE_CONTACT_TIMEOUT_MS ? runner.contactedAt + ONLINE_CONTACT_TIMEOUT_MS : Infinity
  return Math.min(stale, online)
}
