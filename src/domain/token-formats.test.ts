import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { newRunnerToken } from './runner-tokens.js'
import type { RunnerRegistrationType, RunnerType } from './types.js'

/** The shape of a new token for each version, registration type and runner type (gitlab-versions.md §3.9). */
function tokenOf(version: string, registrationType: RunnerRegistrationType, runnerType: RunnerType): string {
  const { store } = new MockWorld({ clock: '2026-01-15T12:00:00.000Z', gitlabVersion: version })
  return newRunnerToken(store, { runnerType, registrationType })
}

describe('runner authentication token shapes by version', () => {
  it.each([
    ['15.11', 'registration_token', 'project_type', /^[A-Za-z0-9_-]{20}$/],
    ['17.4', 'registration_token', 'project_type', /^[A-Za-z0-9_-]{20}$/],
    ['17.5', 'registration_token', 'instance_type', /^t1_[A-Za-z0-9_-]{20}$/],
    ['17.10', 'registration_token', 'project_type', /^t3_[A-Za-z0-9_-]{20}$/],
    ['17.11', 'registration_token', 'group_type', /^glrtr-[A-Za-z0-9_-]{20}$/],
    ['18.11', 'registration_token', 'project_type', /^glrtr-[A-Za-z0-9_-]{20}$/],
    ['16.0', 'authenticated_user', 'group_type', /^glrt-[A-Za-z0-9_-]{20}$/],
    ['17.5', 'authenticated_user', 'group_type', /^glrt-t2_[A-Za-z0-9_-]{20}$/],
    ['18.11', 'authenticated_user', 'project_type', /^glrt-t3_[A-Za-z0-9_-]{20}$/],
  ] as const)('%s %s %s', (version, registrationType, runnerType, shape) => {
    expect(tokenOf(version, registrationType, runnerType)).toMatch(shape)
  })

  it('15.11 draws exactly the tokens it always did (the same seeded sequence)', async () => {
    const { TokenFormat, randomSource } = await import('./random.js')
    const { store } = new MockWorld({ clock: '2026-01-15T12:00:00.000Z', gitlabVersion: '15.11' })
    const expected = TokenFormat.runnerAuthentication(randomSource({ rngState: store.state.rngState }))
    expect(newRunnerToken(store, { runnerType: 'project_type', registrationType: 'registration_token' })).toBe(expected)
  })
})
