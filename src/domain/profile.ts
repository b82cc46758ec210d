/**
 * @module Version profiles as data: the GitLab 15.11 baseline, then each difference keyed by the first
 * version that has it. A rule asks the store's profile (`store.profile.staleAfter`, …); nothing else in
 * the code branches on a version number. Endpoint availability is not here: the endpoint table's
 * `since`/`until` ranges declare it. The README's version matrix is generated from PROFILE_CHANGES.
 */
import { isAtLeast, OLDEST_GITLAB_VERSION, parseGitLabVersion, type GitLabVersion } from './gitlab-version.js'

/** Every rule that differs between the emulated GitLab versions (gitlab-versions.md §8). */
export interface ProfileRules {
  /** What GET /api/v4/version answers. */
  release: { version: string; revision: string }
  /** POST /user/runners creates runners; false answers as 15.11 with the creation feature flags off (403). */
  userRunnerCreation: boolean
  /** Token scopes besides api that grant runner calls: create_runner (POST /user/runners), manage_runner (/runners/:id…). */
  createRunnerScope: boolean
  manageRunnerScope: boolean
  /** allow_runner_registration_token when the fixture does not set it (17.0 switched it off). */
  registrationTokensAllowedByDefault: boolean
  /** Message of POST /runners's 403 for an unknown registration token. */
  invalidRegistrationTokenMessage: string
  /** A runner not seen for this long is stale (3 calendar months; 7 days from 17.1). */
  staleAfter: { months: number } | { days: number }
  /** The version_prefix filter on the four runner lists. */
  versionPrefixFilter: boolean
  /** The system_id filter on GET /runners/:id/jobs. */
  jobsSystemIdFilter: boolean
  /** maintenance_note in details and PUT. */
  maintenanceNote: boolean
  /** ip_address on Runner/RunnerDetails carries the runner's address (false: null, 17.0+). */
  runnerIpAddress: boolean
  /** version/revision/platform/architecture of details come from the most recently contacted manager (17.0+). */
  versionFieldsFromManager: boolean
  /** Shape of the token of a runner created with POST /user/runners. */
  createdTokenFormat: 'glrt' | 'glrt-partitioned'
  /** Shape of the token of a runner registered with a registration token. */
  registeredTokenFormat: 'plain' | 'partitioned' | 'glrtr'
  /** created_by, created_at and job_execution_status on runner entities (18.x). */
  runnerAuditFields: boolean
  /** GET /runners lists the runners a user owns, or (18.x) the runners available to them. */
  userRunnerList: 'owned' | 'available'
  /** POST /runners/verify counts as contact for runners created with POST /user/runners (glrt- tokens); before 18.x only a job request did. */
  verifyContactsCreatedRunners: boolean
}

/** A profile: the rules in force for one version. */
export interface VersionProfile extends Readonly<ProfileRules> {
  readonly version: GitLabVersion
}

/** GitLab 15.11, the baseline every change below departs from. */
export const BASELINE_RULES: Readonly<ProfileRules> = Object.freeze({
  release: { version: '15.11.13', revision: 'a15ce5d1fbb' },
  userRunnerCreation: false,
  createRunnerScope: false,
  manageRunnerScope: false,
  registrationTokensAllowedByDefault: true,
  invalidRegistrationTokenMessage: '403 Forbidden',
  staleAfter: { months: 3 },
  versionPrefixFilter: false,
  jobsSystemIdFilter: false,
  maintenanceNote: false,
  runnerIpAddress: true,
  versionFieldsFromManager: false,
  createdTokenFormat: 'glrt',
  registeredTokenFormat: 'plain',
  runnerAuditFields: false,
  userRunnerList: 'owned',
  verifyContactsCreatedRunners: false,
})

/** One difference from the baseline: the first version that has it, the rules it sets, and why (evidence). */
export interface ProfileChange {
  since: GitLabVersion
  set: Partial<ProfileRules>
  note: string
}

/** Oldest first. Each entry is one row of the README's version matrix. */
export const PROFILE_CHANGES: readonly ProfileChange[] = [
  { since: '16.0', set: { userRunnerCreation: true }, note: 'runner-creation feature flags on by default' },
  { since: '16.1', set: { createRunnerScope: true }, note: 'POST /user/runners accepts create_runner tokens' },
  { since: '16.2', set: { invalidRegistrationTokenMessage: '403 Forbidden - invalid token supplied' }, note: 'bad registration token message' },
  { since: '16.6', set: { versionPrefixFilter: true }, note: 'version_prefix filter on runner lists' },
  { since: '16.8', set: { jobsSystemIdFilter: true }, note: 'system_id filter on a runner\'s jobs' },
  { since: '16.10', set: { maintenanceNote: true }, note: 'maintenance_note in details and PUT' },
  {
    since: '17.0',
    set: { registrationTokensAllowedByDefault: false, runnerIpAddress: false, versionFieldsFromManager: true },
    note: 'registration tokens off by default; ip_address null; version fields from the latest manager',
  },
  { since: '17.1', set: { manageRunnerScope: true, staleAfter: { days: 7 } }, note: 'manage_runner scope; stale after 7 days' },
  { since: '17.5', set: { createdTokenFormat: 'glrt-partitioned', registeredTokenFormat: 'partitioned' }, note: 'partition prefixes in runner tokens' },
  { since: '17.11', set: { registeredTokenFormat: 'glrtr' }, note: 'glrtr- tokens for registered runners' },
  { since: '18.0', set: { runnerAuditFields: true, userRunnerList: 'available' }, note: 'created_by, created_at, job_execution_status; GET /runners lists available runners' },
  { since: '18.0', set: { verifyContactsCreatedRunners: true }, note: 'POST /runners/verify counts as contact for glrt- runners too (18.x; first release not pinned)' },
]

const cache = new Map<GitLabVersion, VersionProfile>()

/** The profile of a version (`X.Y`, validated: anything outside 15.11–18.11 throws GitLabVersionError). */
export function profileFor(input: string = OLDEST_GITLAB_VERSION): VersionProfile {
  const version = parseGitLabVersion(input)
  let profile = cache.get(version)
  if (!profile) {
    const rules: ProfileRules = { ...BASELINE_RULES }
    for (const change of PROFILE_CHANGES) if (isAtLeast(version, change.since)) Object.assign(rules, change.set)
    profile = Object.freeze({ ...rules, version })
    cache.set(version, profile)
  }
  return profile
}
