/** @module Runner list filters through the HTTP API: the owned list's status scopes, the online/offline boundary, and which runners a personal project sees. */
import { describe, expect, it } from 'vitest'
import { harness } from '../harness.js'
import { ADMIN, ALICE, HOUR, NOW, SECOND, iso, rulesFixture } from './world.js'

const ids = (body: Array<{ id: number }>) => body.map((r) => r.id)

describe('GET /runners?scope=…', () => {
  // gitlab-behaviour.md §3 "scope": GET /runners only accepts the status-like scopes
  // (active, paused, online, offline, never_contacted, stale); runners-api.md "List owned runners".
  const fixture = rulesFixture({
    apiMembers: { alice: 'maintainer' },
    runners: [
      { id: 1, runner_type: 'project_type', projects: ['acme/api'], contacted_at: null },
      { id: 2, runner_type: 'project_type', projects: ['acme/api'], contacted_at: iso(NOW - 60 * SECOND) },
      { id: 3, runner_type: 'project_type', projects: ['acme/api'], contacted_at: iso(NOW - 3 * HOUR), paused: true },
    ],
  })

  it.each([
    ['never_contacted', [1]],
    ['online', [2]],
    ['offline', [3]],
    ['active', [1, 2]],
    ['paused', [3]],
  ])('scope=%s lists the owned runners in that state', async (scope, expected) => {
    const res = await harness({ fixture }).get('/runners', { token: ALICE, query: { scope } })
    expect(res.status).toBe(200)
    expect(ids(res.body)).toEqual(expected)
  })
})

describe('the online and offline status filters at the two-hour boundary', () => {
  // gitlab-behaviour.md §3 "status": online = contacted in the last 2 hours; offline = contacted 2 hours
  // ago or earlier (never-contacted runners excluded); §4: ONLINE_CONTACT_TIMEOUT is 2 hours.
  const fixture = rulesFixture({
    runners: [
      { id: 1, runner_type: 'instance_type', contacted_at: iso(NOW - 2 * HOUR + SECOND) },
      { id: 2, runner_type: 'instance_type', contacted_at: iso(NOW - 2 * HOUR) },
      { id: 3, runner_type: 'instance_type', contacted_at: null },
    ],
  })

  it.each([
    ['status', 'online', [1]],
    ['status', 'offline', [2]],
    ['scope', 'online', [1]],
    ['scope', 'offline', [2]],
  ])('GET /runners/all?%s=%s: a runner last contacted exactly two hours ago is offline', async (param, value, expected) => {
    const res = await harness({ fixture }).get('/runners/all', { token: ADMIN, query: { [param]: value } })
    expect(res.status).toBe(200)
    expect(ids(res.body)).toEqual(expected)
  })
})

describe("a personal project's runners", () => {
  // gitlab-behaviour.md §1.1 M8 / runners-api.md "List project's runners": a project sees its own runners,
  // its group's (and ancestors') runners and instance runners. A project in a user's namespace has no
  // group, even when a group happens to have the same id as the user (here group acme and alice are both 2).
  const fixture = rulesFixture({
    runners: [
      { id: 1, runner_type: 'instance_type' },
      { id: 2, runner_type: 'group_type', group: 'acme' },
      { id: 3, runner_type: 'project_type', projects: ['alice/personal'] },
    ],
  })

  it('lists its own and the instance runners, never a group runner', async () => {
    const res = await harness({ fixture }).get('/projects/102/runners', { token: ALICE })
    expect(res.status).toBe(200)
    expect(ids(res.body)).toEqual([1, 3])
  })
})
