/** @module Registration rules through the domain's public functions: what a new runner links, checked on the store itself. */
import { describe, expect, it } from 'vitest'
import { FIXED_NOW } from '../../test/harness.js'
import { createApp } from '../app.js'
import { storeProblems } from './invariants.js'
import { registerRunner } from './runner-tokens.js'

describe('a registered runner links only its owner', () => {
  // runners-api.md "Register a new runner" / gitlab-behaviour.md §1.2 R1: the instance token makes an instance
  // runner (no project, no group), a group token a runner of that group, a project token a runner of that project.
  it.each(['instance', 'group', 'project'] as const)('registered with a %s token', (kind) => {
    const store = createApp({ clock: FIXED_NOW }).world.store
    const token = kind === 'instance' ? store.state.settings.registrationToken : kind === 'group' ? [...store.state.groups.values()][0]!.runnersToken : [...store.state.projects.values()][0]!.runnersToken
    const owner = kind === 'group' ? [...store.state.groups.values()][0]!.id : kind === 'project' ? [...store.state.projects.values()][0]!.id : null
    const runner = registerRunner(store, { token, ipAddress: null })
    expect({ projectIds: runner.projectIds, groupId: runner.groupId }).toEqual({
      projectIds: kind === 'project' ? [owner] : [],
      groupId: kind === 'group' ? owner : null,
    })
    expect(storeProblems(store)).toEqual([])
  })
})
