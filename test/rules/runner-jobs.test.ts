/** @module GET /runners/:id/jobs through the HTTP API: a runner's owner sees the jobs of projects where they are at least Reporter. */
import { describe, expect, it } from 'vitest'
import { harness } from '../harness.js'
import { ADMIN, ALICE, rulesFixture } from './world.js'

describe("a runner's jobs seen by its owner", () => {
  // gitlab-behaviour.md §5.2 Jobs (M6): "job list further filtered to projects where the caller is Reporter+".
  const fixture = rulesFixture({
    apiMembers: { alice: 'maintainer' },
    webMembers: { alice: 'reporter' },
    projects: [{ id: 103, path_with_namespace: 'acme/docs', members: { alice: 'guest' } }],
    runners: [{ id: 1, runner_type: 'project_type', projects: ['acme/api'] }],
    jobs: [
      { id: 1, runner: 1, project: 'acme/api', status: 'success' },
      { id: 2, runner: 1, project: 'acme/web', status: 'success' },
      { id: 3, runner: 1, project: 'acme/docs', status: 'success' },
    ],
  })

  it('include projects where the owner is exactly Reporter, not those where they are Guest', async () => {
    const res = await harness({ fixture }).get('/runners/1/jobs', { token: ALICE })
    expect(res.status).toBe(200)
    expect(res.body.map((j: { id: number }) => j.id)).toEqual([1, 2])
  })
})

describe("a runner's jobs filtered by system_id", () => {
  // gitlab-versions.md §2.10: system_id lists only the jobs run by that runner manager; a job no manager ran
  // (runner_manager_id null) belongs to none, and an id the runner does not know lists nothing.
  const fixture = rulesFixture({
    runners: [{ id: 1, runner_type: 'instance_type', managers: [{ system_id: 's_000000000001' }, { system_id: 's_000000000002' }] }],
    jobs: [
      { id: 1, runner: 1, project: 'acme/api', status: 'success', system_id: 's_000000000001' },
      { id: 2, runner: 1, project: 'acme/api', status: 'success', system_id: 's_000000000002' },
      { id: 3, runner: 1, project: 'acme/api', status: 'success' },
    ],
  })
  const ids = async (systemId: string) =>
    ((await harness({ gitlabVersion: '17.1', fixture }).get('/runners/1/jobs', { token: ADMIN, query: { system_id: systemId } })).body as Array<{ id: number }>).map((j) => j.id)

  it('lists only the jobs of that manager, and none for an unknown one', async () => {
    expect(await ids('s_000000000001')).toEqual([1])
    expect(await ids('s_000000000002')).toEqual([2])
    expect(await ids('s_unknown')).toEqual([])
  })
})

describe("GET /runners/:id/projects seen by the runner's owner", () => {
  // gitlab-versions.md §2.11: the runner's projects that the caller can see (ProjectsFinder): a private project
  // the owner is no member of stays hidden; admins see every one.
  const fixture = rulesFixture({
    apiMembers: { alice: 'maintainer' },
    projects: [{ id: 103, path_with_namespace: 'other/secret', visibility: 'private' }],
    runners: [{ id: 1, runner_type: 'project_type', projects: ['acme/api', 'other/secret'] }],
  })

  it('lists only the projects the owner can see, newest first for admins', async () => {
    const h = harness({ gitlabVersion: '18.0', fixture })
    const projectIds = async (token: string) => ((await h.get('/runners/1/projects', { token })).body as Array<{ id: number }>).map((p) => p.id)
    expect(await projectIds(ALICE)).toEqual([100])
    expect(await projectIds(ADMIN)).toEqual([103, 100])
  })
})
