/**
 * @module The known divergences between the fake and GitLab, in one place, keyed by target and GitLab
 * version: a scenario listed here for a target (at a version in range) is not run there, and the report
 * shows it with the reason (like a skip list).
 */
import { inVersionRange, type GitLabVersion } from '../src/domain/gitlab-version.js'
import type { TargetName } from './lib/types.js'

export interface KnownDifference {
  /** A scenario id (contract-tests/scenarios). */
  scenario: string
  targets: TargetName[]
  /** The GitLab versions it applies to, `[since, until)`; every version when absent. */
  since?: GitLabVersion
  until?: GitLabVersion
  reason: string
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    scenario: 'project-list.all-alias',
    targets: ['gitlab'],
    reason: 'the documentation lists GET /projects/:id/runners/all, but 15.11 has no such route (404); the fake serves the documented alias (every documented input is accepted; see Differences from GitLab in the README)',
  },
  {
    scenario: 'group-list.all-alias',
    targets: ['gitlab'],
    reason: 'the documentation lists GET /groups/:id/runners/all, but 15.11 has no such route (404); the fake serves the documented alias (every documented input is accepted; see Differences from GitLab in the README)',
  },
]

export function knownDifference(scenario: string, target: TargetName, version: GitLabVersion): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((d) => d.scenario === scenario && d.targets.includes(target) && inVersionRange(version, d.since, d.until))
}
