/**
 * @module Version profiles as data: the GitLab 15.11 baseline, then each difference keyed by the first
 * version that has it. A rule asks the store's profile (`store.profile.staleAfter`, …); nothing else in
 * the code branches on a version number. Endpoint availability is not here: the endpoint table's
 * `since`/`until` ranges declare it. The README's version matrix is generated from PROFILE_CHANGES
 * (scripts/version-matrix.mjs).
 */
import { DEFAULT_GITLAB_VERSION, isAtLeast, OLDEST_GITLAB_VERSION, parseGitLabVersion, type GitLabVersion } from './gitlab-version.js'

/** Every rule that differs between the emulated GitLab versions (gitlab-versions.md §1–§4, §8). */
export interface ProfileRules {
  /** POST /user/runners creates runners; false answers as 15.11 with the creation feature flags off (403). */
  userRunnerCreation: boolean
  /** A token with the create_runner scope may call POST /user/runners. */
  createRunnerScope: boolean
  /** A token with the manage_runner scope may call the /runners/:id… routes. */
  manageRunnerScope: boolean
  /** allow_runner_registration_token when the fixture does not set it (17.0 switched it off). */
  registrationTokensAllowedByDefault: boolean
  /** The three reset_registration_token endpoints answer 403 while registration tokens are disallowed. */
  registrationTokenResetNeedsAllowedTokens: boolean
  /** Message of POST /runners's 403 for an unknown registration token. */
  invalidRegistrationTokenMessage: string
  /** What POST /runners keeps of `info`: every field, or (17.1+) only the name (version data comes from managers). */
  registrationInfo: 'all' | 'name'
  /** A runner not seen for this long is stale (3 calendar months; 7 days from 17.1). */
  staleAfter: { months: number } | { days: number }
  /** The version_prefix filter on the four runner lists. */
  versionPrefixFilter: boolean
  /** The system_id filter on GET /runners/:id/jobs. */
  jobsSystemIdFilter: boolean
  /** maintenance_note in details and PUT. */
  maintenanceNote: boolean
  /** maintenance_note in details is null unless the caller may update the runner (18.x). */
  maintenanceNoteOnlyForUpdaters: boolean
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

/** A profile: the rules in force for one version, and what GET /version answers for it. */
export interface VersionProfile extends Readonly<ProfileRules> {
  readonly version: GitLabVersion
  readonly release: { readonly version: string; readonly revision: string }
}

/** GitLab 15.11, the baseline every change below departs from. */
export const BASELINE_RULES: Readonly<ProfileRules> = Object.freeze({
  userRunnerCreation: false,
  createRunnerScope: false,
  manageRunnerScope: false,
  registrationTokensAllowedByDefault: true,
  registrationTokenResetNeedsAllowedTokens: false,
  invalidRegistrationTokenMessage: '403 Forbidden',
  registrationInfo: 'all',
  staleAfter: { months: 3 },
  versionPrefixFilter: false,
  jobsSystemIdFilter: false,
  maintenanceNote: false,
  maintenanceNoteOnlyForUpdaters: false,
  runnerIpAddress: true,
  versionFieldsFromManager: false,
  createdTokenFormat: 'glrt',
  registeredTokenFormat: 'plain',
  runnerAuditFields: false,
  userRunnerList: 'owned',
  verifyContactsCreatedRunners: false,
})

/**
 * One difference from the baseline: the first version that has it, the rules it sets, what it means for
 * a client, and how sure the reference is (`pinned: false` = the release is inferred from merge dates or
 * brackets several releases, and the latest plausible one was taken; each such row is in the README's
 * differences table).
 */
export interface ProfileChange {
  since: GitLabVersion
  set: Partial<ProfileRules>
  note: string
  pinned: boolean
}

/** Oldest first. Each entry is one row of the README's version matrix. */
export const PROFILE_CHANGES: readonly ProfileChange[] = [
  { since: '16.0', set: { userRunnerCreation: true }, note: 'POST /user/runners creates runners (creation feature flags on by default)', pinned: true },
  {
    since: '16.2',
    set: { createRunnerScope: true, invalidRegistrationTokenMessage: '403 Forbidden - invalid token supplied' },
    note: 'create_runner token scope for POST /user/runners; POST /runners with an unknown registration token says `403 Forbidden - invalid token supplied`',
    pinned: false,
  },
  { since: '16.6', set: { versionPrefixFilter: true }, note: '`version_prefix` filter on the four runner lists', pinned: false },
  { since: '16.9', set: { jobsSystemIdFilter: true }, note: '`system_id` filter on a runner\'s jobs', pinned: false },
  { since: '16.10', set: { maintenanceNote: true }, note: '`maintenance_note` in runner details and accepted by PUT /runners/:id', pinned: true },
  {
    since: '17.0',
    set: { registrationTokensAllowedByDefault: false, registrationTokenResetNeedsAllowedTokens: true, runnerIpAddress: false, versionFieldsFromManager: true },
    note: 'registration tokens disallowed by default (POST /runners → 410, reset_registration_token → 403, unless `allow_runner_registration_token`); `ip_address` null; version fields from the latest runner manager',
    pinned: true,
  },
  {
    since: '17.1',
    set: { manageRunnerScope: true, staleAfter: { days: 7 } },
    note: 'manage_runner token scope on the /runners/:id… routes; stale after 7 days instead of 3 months',
    pinned: true,
  },
  { since: '17.1', set: { registrationInfo: 'name' }, note: 'POST /runners keeps only `info.name` (version data comes from managers)', pinned: false },
  { since: '17.5', set: { createdTokenFormat: 'glrt-partitioned', registeredTokenFormat: 'partitioned' }, note: 'runner tokens carry a partition prefix (`glrt-t1_…`, `t1_…`)', pinned: false },
  { since: '17.11', set: { registeredTokenFormat: 'glrtr' }, note: 'runners registered with a registration token get `glrtr-` tokens', pinned: false },
  {
    since: '18.0',
    set: { runnerAuditFields: true, userRunnerList: 'available', maintenanceNoteOnlyForUpdaters: true },
    note: '`created_by`, `created_at`, `job_execution_status` on runners; GET /runners lists available runners; `maintenance_note` null unless the caller may update the runner',
    pinned: false,
  },
  {
    since: '18.0',
    set: { verifyContactsCreatedRunners: true },
    note: 'POST /runners/verify counts as contact also for runners created with POST /user/runners (`glrt-` tokens), and for their manager',
    pinned: false,
  },
]

/** What GET /version answers: 15.11 keeps the patch release the mock always reported; later versions answer `X.Y.0`. */
function releaseOf(version: GitLabVersion): { version: string; revision: string } {
  if (version === OLDEST_GITLAB_VERSION) return { version: '15.11.13', revision: 'a15ce5d1fbb' }
  // A made-up, stable 11-hex revision per release (GitLab's real one is a commit id).
  let hash = 0x811c9dc5
  for (const ch of version) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0
  return { version: `${version}.0`, revision: `${hash.toString(16).padStart(8, '0')}ee0`.slice(0, 11) }
}

const cache = new Map<GitLabVersion, VersionProfile>()

/** The profile of a version (`X.Y`, validated: anything outside 15.11–18.11 throws GitLabVersionError). Default: 18.11. */
export function profileFor(input: string = DEFAULT_GITLAB_VERSION): VersionProfile {
  const version = parseGitLabVersion(input)
  let profile = cache.get(version)
  if (!profile) {
    const rules: ProfileRules = { ...BASELINE_RULES }
    for (const change of PROFILE_CHANGES) if (isAtLeast(version, change.since)) Object.assign(rules, change.set)
    profile = Object.freeze({ ...rules, version, release: Object.freeze(releaseOf(version)) })
    cache.set(version, profile)
  }
  return profile
}
