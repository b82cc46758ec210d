/** @module GitLab versions as `X.Y`: parsing, ordering and ranges. The emulated range is 15.11 through 18.11. */

/** A GitLab minor release, `major.minor` (e.g. `17.1`). */
export type GitLabVersion = `${number}.${number}`

export const OLDEST_GITLAB_VERSION: GitLabVersion = '15.11'
export const NEWEST_GITLAB_VERSION: GitLabVersion = '18.11'
/** What the library and the CLI emulate unless told otherwise: what users run today and what their tools target. */
export const DEFAULT_GITLAB_VERSION: GitLabVersion = NEWEST_GITLAB_VERSION

/** The last minor release of each major line the mock emulates. */
const LAST_MINOR: Record<number, number> = { 15: 11, 16: 11, 17: 11, 18: 11 }

export class GitLabVersionError extends Error {
  constructor(readonly input: unknown) {
    super(
      `unsupported GitLab version ${JSON.stringify(input)}: give X.Y from ${OLDEST_GITLAB_VERSION} through ${NEWEST_GITLAB_VERSION} (for example 16.11, 17.0 or 18.11)`,
    )
    this.name = 'GitLabVersionError'
  }
}

/** Read `X.Y` (a patch part, `X.Y.Z`, is accepted and dropped); anything outside 15.11–18.11 throws GitLabVersionError. */
export function parseGitLabVersion(input: unknown): GitLabVersion {
  const match = typeof input === 'string' ? /^\s*(\d{1,2})\.(\d{1,2})(?:\.\d+)?\s*$/.exec(input) : null
  if (!match) throw new GitLabVersionError(input)
  const major = Number(match[1])
  const minor = Number(match[2])
  const last = LAST_MINOR[major]
  if (last === undefined || minor > last || versionOrder(`${major}.${minor}`) < versionOrder(OLDEST_GITLAB_VERSION))
    throw new GitLabVersionError(input)
  return `${major}.${minor}`
}

/** A number that orders versions: 17.1 → 1701. */
export function versionOrder(version: GitLabVersion): number {
  // Asked on the request path (version gates, the journal's endpoint name): each version's order is worked out once.
  let order = ORDERS.get(version)
  if (order === undefined) {
    const dot = version.indexOf('.')
    ORDERS.set(version, (order = Number(version.slice(0, dot)) * 100 + Number(version.slice(dot + 1))))
  }
  return order
}

const ORDERS = new Map<string, number>()

/** `version >= since`. */
export function isAtLeast(version: GitLabVersion, since: GitLabVersion): boolean {
  return versionOrder(version) >= versionOrder(since)
}

/** In `[since, until)`: `since` is the first version that has a thing, `until` the first that no longer has it. */
export function inVersionRange(version: GitLabVersion, since?: GitLabVersion, until?: GitLabVersion): boolean {
  if (since === undefined && until === undefined) return true
  const v = versionOrder(version)
  return (since === undefined || v >= versionOrder(since)) && (until === undefined || v < versionOrder(until))
}

/** Every emulated minor release, oldest first (15.11, 16.0 … 18.11). */
export function allGitLabVersions(): GitLabVersion[] {
  const out: GitLabVersion[] = []
  for (const [major, last] of Object.entries(LAST_MINOR)) {
    for (let minor = 0; minor <= last; minor++) {
      const v: GitLabVersion = `${Number(major)}.${minor}`
      if (versionOrder(v) >= versionOrder(OLDEST_GITLAB_VERSION)) out.push(v)
    }
  }
  return out
}
