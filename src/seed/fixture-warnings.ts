/**
 * @module Warnings for fixtures that are valid but probably not what their author meant: a runner
 * contacted before it was created, and a runner meant to be stale that GitLab's rule keeps offline
 * (stale needs both the contact and the creation older than three months). Each keeps its JSON path.
 */
import { STALE_TIMEOUT_MONTHS, monthsBefore } from '../domain/status.js'
import { resolveTime } from './build-world.js'
import type { Fixture, FixtureProblem } from './fixture-types.js'

/** The warnings of a (valid) fixture built at `now`. */
export function fixtureWarnings(fixture: Fixture, now: number): FixtureProblem[] {
  const warnings: FixtureProblem[] = []
  const staleBefore = monthsBefore(now, STALE_TIMEOUT_MONTHS)
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
          `is older than ${STALE_TIMEOUT_MONTHS} months but created_at ${r.created_at === undefined ? 'is not set (it defaults to the build time)' : `(${r.created_at}) is not`}: ` +
          `GitLab counts a runner stale only when both are, so this one is offline; set created_at older than ${STALE_TIMEOUT_MONTHS} months to make it stale`,
      })
  })
  return warnings
}
