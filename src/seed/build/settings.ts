/** @module Instance settings from a fixture's `settings`; defaults that differ by GitLab version come from the profile. */
import { GitLabVersionError, parseGitLabVersion } from '../../domain/gitlab-version.js'
import type { VersionProfile } from '../../domain/profile.js'
import { TokenFormat } from '../../domain/random.js'
import type { InstanceSettings } from '../../domain/types.js'
import type { Fixture } from '../fixture-types.js'
import { stableToken, type BuildContext } from './context.js'

export function buildSettings(fixture: Fixture, profile: VersionProfile): InstanceSettings {
  const s = fixture.settings ?? {}
  return {
    registrationToken: s.registration_token ?? stableToken('instance', TokenFormat.instanceRegistration),
    runnerTokenExpirationInterval: s.runner_token_expiration_interval ?? null,
    projectRunnerLimit: s.project_runner_limit ?? 1000,
    groupRunnerLimit: s.group_runner_limit ?? 1000,
    allowedRegistrars: s.allowed_registrars ?? ['project', 'group'],
    allowRunnerRegistrationToken: allowRegistrationTokens(s, profile),
  }
}

/**
 * allow_runner_registration_token, or its older name registration_enabled: either one set to false switches
 * registration tokens off (so `registration_enabled: false` over a fixture that allows them still does);
 * neither set → the version's default (true before 17.0).
 */
function allowRegistrationTokens(s: NonNullable<Fixture['settings']>, profile: VersionProfile): boolean {
  const given = [s.allow_runner_registration_token, s.registration_enabled].filter((v): v is boolean => v !== undefined)
  return given.length === 0 ? profile.registrationTokensAllowedByDefault : given.every(Boolean)
}

/** Setting problems a build reports with the others: a `gitlab_version` outside 15.11–18.11. */
export function checkSettings(fixture: Fixture, ctx: BuildContext): void {
  const version = fixture.settings?.gitlab_version
  if (version === undefined) return
  try {
    parseGitLabVersion(version)
  } catch (error) {
    if (!(error instanceof GitLabVersionError)) throw error
    ctx.problem('/settings/gitlab_version', error.message)
  }
}
