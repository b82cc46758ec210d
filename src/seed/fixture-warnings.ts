/**
 * @module Warnings for fixtures that are valid but probably not what their author meant: a runner
 * contacted before it was created, and a runner meant to be stale that GitLab's rule keeps offline
 * (stale needs both the contact and the creation older than the version's stale window). Each keeps its JSON path.
 */
import { staleDeadline, type StaleWindow } from '../domain/status.js'
import { resolveTime } from './build-world.js'
import type { Fixture, FixtureProblem } from './fixture-types.js'

/** The window in words: "3 months", "7 days". */
function windowText(window: StaleWindow): string {
  return 'days' in window ? `${window.days} days` : `${window.months} months`
}

/** The warnings of a (valid) fixture built at `now` for a version whose stale window is `window`. */
export function fixtureWarnings(fixture: Fixture, now: number, window: StaleWindow): FixtureProblem[] {
  const warnings: FixtureProblem[] = []
  const staleBefore = staleDeadline(now, window)
  fixture.runners?.forEach((r, i) => {
    const path = `/runners/${i}`
    const contacted = typeof r.contacted_at === 'string' ? resolveTime(r.contacted_at, now) : undefined
    const created = r.created_at === undefined ? undefined : resolveTime(r.created_at, now)
    if (contacted === undefined) return
    if (created !== undefined && contacted < created)
      warnings.push({ path: `${path}/contacted_at`, message: `is earlier than created_at (${r.created_at}): a runner cannot contact GitLab before it exists` })
    if (contacted <= staleBefore && (created ?? now) > staleBefore)
      warnings.push({
        path: `${path}/contacted_at`,
        message:
          `is older than ${windowText(window)} but created_at ${r.created_at === undefined ? 'is not set (it defaults to the build time)' : `(${r.created_at}) is not`}: ` +
          `GitLab counts a runner stale only when both are, so this one is offline; set created_at older than ${windowText(window)} to make it stale`,
      })
  })
  return warnings
}
