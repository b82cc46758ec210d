/** @module A small world for the rule tests: two users, groups and projects whose roles and runners each test states itself. */
import type { Fixture, FixtureMembers } from '../../src/seed/fixture-types.js'
import { FIXED_NOW } from '../harness.js'

export const ADMIN = 'glpat-RulesAdminToken00001'
export const ALICE = 'glpat-RulesAliceToken00001'
export const BOB = 'glpat-RulesBobToken0000001'
export const REG = {
  instance: 'RulesInstanceRegTok1',
  acme: 'GR1348941RulesAcmeRegToken001',
  other: 'GR1348941RulesOtherRegToken01',
  api: 'GR1348941RulesApiRegToken0001',
  web: 'GR1348941RulesWebRegToken0001',
  personal: 'GR1348941RulesPersonalRegTok1',
} as const

export const NOW = Date.parse(FIXED_NOW)
export const SECOND = 1000
export const HOUR = 3600 * SECOND
/** FIXED_NOW minus GitLab's 3 calendar months (Ci::Runner.stale_deadline / recent). */
export const THREE_MONTHS_AGO = '2025-10-15T12:00:00.000Z'
export const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Users: root (admin, id 1), alice (id 2), bob (id 3). Groups: acme (id 2: the same number as alice's
 * user id, on purpose), other (id 20). Projects: acme/api (100), acme/web (101), alice/personal (102,
 * alice's own namespace). Roles, runners, jobs and settings come from `extra`.
 */
export function rulesFixture(extra: Partial<Fixture> & { acmeMembers?: FixtureMembers; apiMembers?: FixtureMembers; webMembers?: FixtureMembers } = {}): Fixture {
  const { acmeMembers, apiMembers, webMembers, ...rest } = extra
  return {
    settings: { registration_token: REG.instance, ...(rest.settings ?? {}) },
    users: [
      { id: 1, username: 'root', admin: true, tokens: [{ token: ADMIN, scopes: ['api'] }] },
      { id: 2, username: 'alice', tokens: [{ token: ALICE, scopes: ['api'] }] },
      { id: 3, username: 'bob', tokens: [{ token: BOB, scopes: ['api'] }] },
    ],
    groups: [
      { id: 2, full_path: 'acme', runners_token: REG.acme, members: acmeMembers ?? {} },
      { id: 20, full_path: 'other', runners_token: REG.other },
      ...(rest.groups ?? []),
    ],
    projects: [
      { id: 100, path_with_namespace: 'acme/api', runners_token: REG.api, members: apiMembers ?? {} },
      { id: 101, path_with_namespace: 'acme/web', runners_token: REG.web, members: webMembers ?? {} },
      { id: 102, path_with_namespace: 'alice/personal', runners_token: REG.personal, members: { alice: 'owner' } },
      ...(rest.projects ?? []),
    ],
    runners: rest.runners ?? [],
    jobs: rest.jobs ?? [],
  }
}
