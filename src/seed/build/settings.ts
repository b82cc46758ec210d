/** @module Instance settings from a fixture's `settings`. */
import { TokenFormat } from '../../domain/random.js'
import type { InstanceSettings } from '../../domain/types.js'
import type { Fixture } from '../fixture-types.js'
import { stableToken } from './context.js'

export function buildSettings(fixture: Fixture): InstanceSettings {
  const s = fixture.settings ?? {}
  return {
    registrationToken: s.registration_token ?? stableToken('instance', TokenFormat.instanceRegistration),
    runnerTokenExpirationInterval: s.runner_token_expiration_interval ?? null,
    projectRunnerLimit: s.project_runner_limit ?? 1000,
    groupRunnerLimit: s.group_runner_limit ?? 1000,
    allowedRegistrars: s.allowed_registrars ?? ['project', 'group'],
    registrationEnabled: s.registration_enabled ?? true,
  }
}
