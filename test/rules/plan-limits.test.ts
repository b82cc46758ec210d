/**
 * @module The plan limits ci_registered_project_runners / ci_registered_group_runners through the HTTP
 * API: what they count (the owner's own runners, created or contacted in the last 3 months), 0 as
 * unlimited, and the combined 400 when a registration also breaks a runner rule.
 */
import { describe, expect, it } from 'vitest'
import type { Fixture } from '../../src/seed/fixture-types.js'
import { expectError, harness } from '../harness.js'
import { ADMIN, NOW, REG, SECOND, THREE_MONTHS_AGO, iso, rulesFixture } from './world.js'

// gitlab-behaviour.md §1.1 M9: the plan limit refuses with `Maximum number of ci registered project runners (N)
// exceeded`; what it counts is Ci::Runner.recent, created or contacted within the 3-month stale window (§4).
const projectLimit = (n: number) => `Maximum number of ci registered project runners (${n}) exceeded`
const groupLimit = (n: number) => `Maximum number of ci registered group runners (${n}) exceeded`
const register = (fixture: Fixture, body: Record<string, unknown>) => harness({ fixture }).post('/runners', { body })

describe('what a plan limit counts', () => {
  it("counts only the registering group's runners, not another group's", async () => {
    const fixture = rulesFixture({ settings: { group_runner_limit: 1 }, runners: [{ id: 1, runner_type: 'group_type', group: 'other' }] })
    expect((await register(fixture, { token: REG.acme })).status).toBe(201)
    expectError(await register(rulesFixture({ settings: { group_runner_limit: 1 }, runners: [{ id: 1, runner_type: 'group_type', group: 'acme' }] }), { token: REG.acme }), 400, {
      message: { 'runner_namespaces.base': [groupLimit(1)] },
    })
  })

  it("counts only the registering project's runners, not another project's", async () => {
    const fixture = rulesFixture({ settings: { project_runner_limit: 1 }, runners: [{ id: 1, runner_type: 'project_type', projects: ['acme/web'] }] })
    expect((await register(fixture, { token: REG.api })).status).toBe(201)
  })

  it.each([
    ['created exactly 3 months ago', { created_at: THREE_MONTHS_AGO, contacted_at: null }, 400],
    ['created 3 months and a second ago, never contacted', { created_at: iso(Date.parse(THREE_MONTHS_AGO) - SECOND), contacted_at: null }, 201],
    ['created long ago, contacted exactly 3 months ago', { created_at: '2024-01-01T00:00:00.000Z', contacted_at: THREE_MONTHS_AGO }, 400],
    ['created long ago, contacted 3 months and a second ago', { created_at: '2024-01-01T00:00:00.000Z', contacted_at: iso(Date.parse(THREE_MONTHS_AGO) - SECOND) }, 201],
  ])('a runner %s counts only while it is recent', async (_, times, status) => {
    const fixture = rulesFixture({ settings: { project_runner_limit: 1 }, runners: [{ id: 1, runner_type: 'project_type', projects: ['acme/api'], ...times }] })
    expect((await register(fixture, { token: REG.api })).status).toBe(status)
  })
})

describe('a plan limit of 0', () => {
  // The fixture schema's 0 is "no limit", as GitLab's plan_limits columns default to 0 (= unlimited).
  const fixture = rulesFixture({
    settings: { project_runner_limit: 0, group_runner_limit: 0 },
    runners: [
      { id: 1, runner_type: 'project_type', projects: ['acme/api'], created_at: iso(NOW - 60 * SECOND) },
      { id: 2, runner_type: 'project_type', projects: ['acme/web'], created_at: iso(NOW - 60 * SECOND) },
      { id: 3, runner_type: 'group_type', group: 'acme', created_at: iso(NOW - 60 * SECOND) },
    ],
  })

  it('lets every project and group registration through', async () => {
    const h = harness({ fixture })
    expect((await h.post('/runners', { body: { token: REG.api } })).status).toBe(201)
    expect((await h.post('/runners', { body: { token: REG.acme } })).status).toBe(201)
  })

  it('lets a runner be enabled in a project that already has runners', async () => {
    // runners-api.md "Enable a runner in project".
    const res = await harness({ fixture }).post('/projects/100/runners', { token: ADMIN, body: { runner_id: 2 } })
    expect(res.status).toBe(201)
  })
})

describe('a registration that breaks both the plan limit and a runner rule', () => {
  // gitlab-behaviour.md §6.2 "Model validation failure": one 400 with every attribute's messages,
  // the association's (runner_projects.base) with the runner's own (§6.3 maximum_timeout).
  it('reports both in one 400', async () => {
    const fixture = rulesFixture({ settings: { project_runner_limit: 1 }, runners: [{ id: 1, runner_type: 'project_type', projects: ['acme/api'] }] })
    expectError(await register(fixture, { token: REG.api, maximum_timeout: 60 }), 400, {
      message: { 'runner_projects.base': [projectLimit(1)], maximum_timeout: ['needs to be at least 10 minutes'] },
    })
  })
})
