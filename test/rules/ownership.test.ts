/**
 * @module Who owns a runner, through the HTTP API: a multi-project runner belongs to the maintainer of
 * any one of its projects, and projects and groups are found by full path even when it has digits.
 */
import { describe, expect, it } from 'vitest'
import { harness } from '../harness.js'
import { ALICE, rulesFixture } from './world.js'

describe('a runner linked to several projects', () => {
  // gitlab-behaviour.md §5.1 (owned runners: linked to *a* project where the user is Maintainer+) and
  // §5.2 "Update / reset token": "A maintainer of any linked project owns a multi-project runner".
  const fixture = rulesFixture({
    apiMembers: { alice: 'developer' },
    webMembers: { alice: 'maintainer' },
    projects: [{ id: 103, path_with_namespace: 'acme/docs', members: { alice: 'maintainer' } }],
    runners: [{ id: 7, runner_type: 'project_type', projects: ['acme/api', 'acme/web'], description: 'shared by two' }],
  })

  it('is owned by a maintainer of only one of its projects: listed in GET /runners, shown and updated', async () => {
    const h = harness({ fixture })
    const list = await h.get('/runners', { token: ALICE })
    expect(list.status).toBe(200)
    expect(list.body.map((r: { id: number }) => r.id)).toEqual([7])
    expect((await h.get('/runners/7', { token: ALICE })).status).toBe(200)
    const put = await h.put('/runners/7', { token: ALICE, body: { description: 'renamed' } })
    expect({ status: put.status, description: put.body.description }).toEqual({ status: 200, description: 'renamed' })
  })

  it('can be enabled by that maintainer in another project they maintain', async () => {
    // runners-api.md "Enable a runner in project"; gitlab-behaviour.md §5.2 Assign (M9): the caller must own the runner.
    const h = harness({ fixture })
    const res = await h.post('/projects/103/runners', { token: ALICE, body: { runner_id: 7 } })
    expect(res.status).toBe(201)
    expect((await h.get('/runners/7', { token: ALICE })).body.projects.map((p: { id: number }) => p.id)).toEqual([100, 101, 103])
  })
})

describe('projects and groups found by full path', () => {
  // gitlab-behaviour.md §6.2: `:id` is a numeric id or a URL-encoded full path (find_project! / find_group!);
  // only an all-digit value is an id, so paths that start or end with digits are paths.
  const fixture = rulesFixture({
    groups: [
      { id: 30, full_path: '2024team', members: { alice: 'owner' } },
      { id: 31, full_path: 'tools7', members: { alice: 'owner' } },
    ],
    projects: [
      { id: 110, path_with_namespace: 'acme/api2', members: { alice: 'maintainer' } },
      { id: 111, path_with_namespace: '2024team/7tools', members: { alice: 'maintainer' } },
    ],
    runners: [
      { id: 8, runner_type: 'project_type', projects: ['acme/api2'] },
      { id: 9, runner_type: 'project_type', projects: ['2024team/7tools'] },
      { id: 10, runner_type: 'group_type', group: '2024team' },
      { id: 11, runner_type: 'group_type', group: 'tools7' },
    ],
  })

  it.each([
    ['acme/api2', [8]],
    ['2024team/7tools', [9, 10]],
  ])('finds project %s by its path', async (path, ids) => {
    const res = await harness({ fixture }).get(`/projects/${encodeURIComponent(path)}/runners`, { token: ALICE })
    expect(res.status).toBe(200)
    expect(res.body.map((r: { id: number }) => r.id)).toEqual(ids)
  })

  it.each([
    ['2024team', [10]],
    ['tools7', [11]],
  ])('finds group %s by its path', async (path, ids) => {
    const res = await harness({ fixture }).get(`/groups/${path}/runners`, { token: ALICE })
    expect(res.status).toBe(200)
    expect(res.body.map((r: { id: number }) => r.id)).toEqual(ids)
  })
})
