/**
 * @module The version-gated rules at their boundaries: the last release without a rule and the first with it
 * (gitlab-versions.md §1), and for the stale window the exact instant it turns (gitlab-versions.md §3.4:
 * stale when max(created_at, contacted_at) ≤ now − window; 3 calendar months through 17.0, 7 days from 17.1).
 * Registration's 410 (16.11 → 17.0, unless allowed) is asserted release by release in test/versions.test.ts,
 * GET /runners/:id/managers (17.0 → 17.1) in src/http/endpoints/runner-managers.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { RUNNER_TOKENS, TOKENS, expectError, harness } from '../harness.js'
import { ADMIN, NOW, THREE_MONTHS_AGO, iso, rulesFixture } from './world.js'

const DAY = 86_400_000
const ROUTE_404 = { error: '404 Not Found' }

describe('the stale window at the exact instant it turns', () => {
  // Each runner was created and last contacted at the same instant; ids in fixture order.
  const LAST_SEEN = {
    exactlySevenDays: iso(NOW - 7 * DAY),
    justUnderSevenDays: iso(NOW - 7 * DAY + 1),
    exactlyThreeMonths: THREE_MONTHS_AGO,
    justUnderThreeMonths: iso(Date.parse(THREE_MONTHS_AGO) + 1),
  }
  const fixture = () =>
    rulesFixture({
      runners: Object.values(LAST_SEEN).map((at) => ({ runner_type: 'instance_type' as const, created_at: at, contacted_at: at })),
    })

  it.each([
    // 15.11–17.0: STALE_TIMEOUT = 3.months; 7 days is far from stale.
    ['17.0', { exactlySevenDays: 'offline', justUnderSevenDays: 'offline', exactlyThreeMonths: 'stale', justUnderThreeMonths: 'offline' }],
    // 17.1+: STALE_TIMEOUT = 7.days (MR !155795).
    ['17.1', { exactlySevenDays: 'stale', justUnderSevenDays: 'offline', exactlyThreeMonths: 'stale', justUnderThreeMonths: 'stale' }],
  ])('GitLab %s: the status field and the stale filters agree on which runners are stale', async (version, expected) => {
    const h = harness({ gitlabVersion: version, fixture: fixture() })
    const names = Object.keys(LAST_SEEN) as Array<keyof typeof LAST_SEEN>
    const all = (await h.get('/runners/all', { token: ADMIN, query: { per_page: 100 } })).body as Array<{ id: number; status: string }>
    const statusOf = Object.fromEntries(names.map((name, i) => [name, all[i]!.status]))
    expect(statusOf).toEqual(expected)
    const staleNames = names.filter((name) => expected[name] === 'stale')
    const idsOf = (list: Array<{ id: number }>) => list.map((r) => r.id)
    const staleIds = staleNames.map((name) => all[names.indexOf(name)]!.id)
    expect(idsOf((await h.get('/runners/all', { token: ADMIN, query: { status: 'stale' } })).body)).toEqual(staleIds)
    expect(idsOf((await h.get('/runners/all', { token: ADMIN, query: { scope: 'stale' } })).body)).toEqual(staleIds)
    // The control API's runner inspection filters with the same window.
    expect(idsOf((await h.get('/-/mock/inspect/runners', { query: { status: 'stale' } })).body.runners)).toEqual(staleIds)
  })
})

describe('runner-manager and filter endpoints at their first release', () => {
  // gitlab-versions.md §1 "16.0" and §2.3: DELETE /runners/managers (runner token + system_id) is new in 16.0;
  // before, the path is DELETE /runners/:id's (a user token, and "managers" is no id).
  it('DELETE /runners/managers: 15.11 answers as DELETE /runners/:id, 16.0 deletes the manager', async () => {
    const body = { token: RUNNER_TOKENS.shared1, system_id: 's_1a2b3c4d5e6f' }
    expectError(await harness({ gitlabVersion: '15.11' }).del('/runners/managers', { body }), 401, { message: '401 Unauthorized' })
    expect((await harness({ gitlabVersion: '16.0' }).del('/runners/managers', { body })).status).toBe(204)
  })

  // gitlab-versions.md §1 "16.6" and §2.7: version_prefix filters the lists by the managers' versions.
  it('version_prefix: ignored by 16.5, filters from 16.6', async () => {
    const ids = async (version: string) =>
      ((await harness({ gitlabVersion: version }).get('/runners/all', { token: TOKENS.admin, query: { version_prefix: '15.10', per_page: 100 } })).body as Array<{ id: number }>)
        .map((r) => r.id)
        .filter((id) => id <= 13)
    expect(await ids('16.5')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(await ids('16.6')).toEqual([1, 2])
  })

  // gitlab-versions.md §1 "≈16.8–16.9" and §2.10: GET /runners/:id/jobs?system_id=… (the profile takes 16.9).
  it('system_id on a runner\'s jobs: ignored by 16.8, an unknown manager lists no jobs from 16.9', async () => {
    const jobs = async (version: string) =>
      (await harness({ gitlabVersion: version }).get('/runners/6/jobs', { token: TOKENS.admin, query: { system_id: 's_unknown' } })).body as unknown[]
    expect((await jobs('16.8')).length).toBeGreaterThan(0)
    expect(await jobs('16.9')).toEqual([])
  })

  // gitlab-versions.md §1 "18.x" and §2.11: GET /runners/:id/projects (the profile takes 18.0).
  it('GET /runners/:id/projects: no route in 17.11, the runner\'s projects from 18.0', async () => {
    expectError(await harness({ gitlabVersion: '17.11' }).get('/runners/7/projects', { token: TOKENS.admin }), 404, ROUTE_404)
    const res = await harness({ gitlabVersion: '18.0' }).get('/runners/7/projects', { token: TOKENS.admin })
    expect(res.status).toBe(200)
    expect(res.body.length).toBeGreaterThan(0)
  })
})
