/** @module Answers that differ by GitLab version and that scenarios written for every version expect (gitlab-versions.md §2.5, §2.9). */
import { isAtLeast } from '../../src/domain/gitlab-version.js'
import type { ScenarioContext } from './types.js'

/** POST /runners with a token that registers nothing: `403 Forbidden` up to 16.1, `… - invalid token supplied` from 16.2. */
export function unknownRegistrationTokenBody(ctx: ScenarioContext): { message: string } {
  return { message: isAtLeast(ctx.world.gitlabVersion, '16.2') ? '403 Forbidden - invalid token supplied' : '403 Forbidden' }
}

/** PUT /runners/:id without any updatable parameter: 16.10 adds maintenance_note to the group. */
export function updateNeedsOneParameterBody(ctx: ScenarioContext): { error: string } {
  const names = ['description', 'active', 'paused', 'tag_list', 'run_untagged', 'locked', 'access_level', 'maximum_timeout']
  if (isAtLeast(ctx.world.gitlabVersion, '16.10')) names.push('maintenance_note')
  return { error: `${names.join(', ')} are missing, at least one parameter must be provided` }
}
