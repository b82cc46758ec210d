/** @module The version a target emulates or runs, from its GET /api/v4/version, as the X.Y the profiles and scenario ranges use. */
import { isAtLeast, NEWEST_GITLAB_VERSION, OLDEST_GITLAB_VERSION, parseGitLabVersion, type GitLabVersion } from '../../src/domain/gitlab-version.js'

/** `15.11.13-ee` → 15.11; a release outside 15.11–18.11 is clamped to the nearest end (its scenarios are the closest known). */
export function versionFromRelease(release: string): GitLabVersion {
  const match = /^(\d+)\.(\d+)/.exec(release)
  if (!match) throw new Error(`GET /version answered an unreadable version ${JSON.stringify(release)}`)
  const xy = `${match[1]}.${match[2]}`
  try {
    return parseGitLabVersion(xy)
  } catch {
    return isAtLeast(xy as GitLabVersion, NEWEST_GITLAB_VERSION) ? NEWEST_GITLAB_VERSION : OLDEST_GITLAB_VERSION
  }
}

/** Ask a target which version it is. */
export async function targetVersion(baseUrl: string, token: string): Promise<GitLabVersion> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': token }, signal: AbortSignal.timeout(30_000) })
  const body = (await res.json()) as { version?: string }
  if (!res.ok || typeof body.version !== 'string') throw new Error(`GET /version answered ${res.status}`)
  return versionFromRelease(body.version)
}
