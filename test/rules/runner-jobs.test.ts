/** @module GET /runners/:id/jobs through the HTTP API: a runner's owner sees the jobs of projects where they are at least Reporter. */
import { describe, expect, it } from 'vitest'
import { harness } from '../harness.js'
import { ALICE, rulesFixture } from './world.js'

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
