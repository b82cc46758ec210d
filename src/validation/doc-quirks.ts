/**
 * @module The documentation's known quirks: the places where an example response of runners-api.md does not
 * match GitLab 15.11's entities (gitlab-behaviour.md §2), each with its reason. The schema tests prove that
 * every example passes lenient validation apart from exactly these.
 */

export interface DocQuirk {
  /** The documentation section (heading) of the example. */
  section: string
  /** JSON path of the problem; a trailing `*` matches every path under that prefix. */
  path: string
  reason: string
}

const OLD_PROJECT_ITEMS =
  'the example shows only the five identity fields of each project; 15.11 returns the full BasicProjectDetails entity (gitlab-behaviour.md §2.2)'

export const DOC_QUIRKS: DocQuirk[] = [
  {
    section: 'List all runners',
    path: '$[2].active',
    reason: 'the example shows `online: true` with `status: "paused"` on an active runner; 15.x says "paused" only for a runner that is not active (§4)',
  },
  {
    section: 'List group\'s runners',
    path: '$[0].status',
    reason: '`not_connected` was the 14.x status of a never-contacted runner; 15.0 renamed it `never_contacted` (§4)',
  },
  {
    section: 'List group\'s runners',
    path: '$[2].status',
    reason: '`not_connected` was the 14.x status of a never-contacted runner; 15.0 renamed it `never_contacted` (§4)',
  },
  ...(['Get runner\'s details', 'Update runner\'s details'] as const).flatMap((section) => [
    { section, path: '$.run_untagged', reason: 'the example predates `run_untagged` in RunnerDetails, which 15.11 always returns (§2.2)' },
    { section, path: '$.locked', reason: 'the example predates `locked` in RunnerDetails, which 15.11 always returns (§2.2)' },
    { section, path: '$.groups', reason: 'the example predates `groups` in RunnerDetails, which 15.11 always returns (§2.2)' },
    { section, path: '$.projects[0].*', reason: OLD_PROJECT_ITEMS },
  ]),
  { section: 'Update runner\'s details', path: '$.paused', reason: 'the PUT example lacks `paused`, present in every runner entity since 14.8 (§2.1)' },
  { section: 'Enable a runner in project', path: '$.paused', reason: 'the enable example lacks `paused`, present in every runner entity since 14.8 (§2.1)' },
  {
    section: 'List runner\'s jobs',
    path: '$[0].finished_at',
    reason: 'the example job is `running` yet has a `finished_at`; a running job has not finished (Ci::Build, §2.5)',
  },
  { section: 'List runner\'s jobs', path: '$[0].allow_failure', reason: 'the jobs example predates `allow_failure` in the job entity (§2.5)' },
  { section: 'List runner\'s jobs', path: '$[0].queued_duration', reason: 'the jobs example predates `queued_duration` (§2.5)' },
  { section: 'List runner\'s jobs', path: '$[0].web_url', reason: 'the jobs example omits the job\'s `web_url` (§2.5)' },
  { section: 'List runner\'s jobs', path: '$[0].commit.trailers', reason: 'the jobs example\'s commit predates `trailers` (§2.5, Commit object)' },
  { section: 'List runner\'s jobs', path: '$[0].commit.web_url', reason: 'the jobs example\'s commit omits `web_url` (§2.5, Commit object)' },
  {
    section: 'List runner\'s jobs',
    path: '$[0].pipeline.*',
    reason: 'the jobs example has a four-field pipeline (id, sha, ref, status); 15.11 also returns project_id, source, created_at, updated_at, web_url (§2.5)',
  },
]

/** Extra (undocumented) fields the examples carry: reported by lenient mode, listed here with the reason. */
export const DOC_EXTRA_FIELDS: DocQuirk[] = [
  { section: 'List runner\'s jobs', path: '$[0].ip_address', reason: 'the jobs example has an `ip_address` on the job; JobBasicWithProject has none (§2.5)' },
]

export function quirkMatches(quirk: DocQuirk, section: string, path: string): boolean {
  if (quirk.section !== section) return false
  return quirk.path.endsWith('*') ? path.startsWith(quirk.path.slice(0, -1)) : quirk.path === path
}
