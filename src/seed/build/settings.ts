/** @module Instance settings from a fixture's `settings`; defaults that differ by GitLab version come from the profile. */
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
    // registration_enabled is the older name of the same setting.
    allowRunnerRegistrationToken: s.allow_runner_registration_token ?? s.registration_enabled ?? profile.registrationTokensAllowedByDefault,
  }
}

/** Settings problems: the setting and its alias must agree when both are given. */
export function checkSettings(fixture: Fixture, ctx: BuildContext): void {
  const s = fixture.settings ?? {}
  if (s.allow_runner_registration_token !== undefined && s.registration_enabled !== undefined && s.allow_runner_registration_token !== s.registration_enabled)
    ctx.problem('/settings/registration_enabled', 'is an alias of allow_runner_registration_token and disagrees with it')
}
