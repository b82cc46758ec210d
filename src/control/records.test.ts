import { describe, expect, it } from 'vitest'
import { TOKENS, harness } from '../../test/harness.js'

const admin = { token: TOKENS.admin }

describe('live records', () => {
  it('adds users, groups, projects, runners and jobs referencing existing records by id or path, and answers their ids and tokens', async () => {
    const h = harness()
    const res = await h.post('/-/mock/records', {
      body: {
        users: [{ username: 'zoe', tokens: [{ token: 'glpat-ZoeToken000000000001' }] }],
        groups: [{ full_path: 'acme/platform', members: { zoe: 'owner' } }],
        projects: [{ path_with_namespace: 'acme/platform/infra', members: { bob: 'maintainer' } }],
        runners: [
          { runner_type: 'project_type', projects: ['acme/platform/infra', 100], description: 'odd one', contacted_at: '-3h' },
          { runner_type: 'group_type', group: 10, tag_list: ['gpu'] },
        ],
        jobs: [{ runner: 1, project: 'acme/platform/infra', status: 'running' }],
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.users).toEqual([{ id: expect.any(Number), username: 'zoe', tokens: ['glpat-ZoeToken000000000001'] }])
    expect(res.body.groups[0]).toMatchObject({ full_path: 'acme/platform' })
    expect(res.body.runners).toHaveLength(2)
    const [odd, gpu] = res.body.runners
    const details = await h.get(`/api/v4/runners/${odd.id}`, admin)
    expect(details.body).toMatchObject({ description: 'odd one', status: 'offline', runner_type: 'project_type' })
    expect(details.body.projects.map((p: { id: number }) => p.id).sort()).toEqual([100, res.body.projects[0].id].sort())
    expect((await h.get('/api/v4/groups/10/runners', admin)).body.map((r: { id: number }) => r.id)).toContain(gpu.id)
    // the new user's token works, and the new group's owner sees its project
    expect((await h.get(`/api/v4/projects/${encodeURIComponent('acme/platform/infra')}`, { token: 'glpat-ZoeToken000000000001' })).status).toBe(200)
    const jobs = await h.get('/api/v4/runners/1/jobs', { ...admin, query: { status: 'running' } })
    expect(jobs.body.map((j: { id: number }) => j.id)).toContain(res.body.jobs[0].id)
    // registering with the new runner's token works as verification
    expect((await h.post('/api/v4/runners/verify', { body: { token: odd.token } })).status).toBe(200)
  })

  it('lists every problem and changes nothing when any record is wrong', async () => {
    const h = harness()
    const before = (await h.get('/-/mock/state')).text
    const res = await h.post('/-/mock/records', {
      body: {
        users: [{ username: 'bob' }],
        projects: [{ path_with_namespace: 'nowhere/x' }],
        runners: [{ runner_type: 'project_type', projects: [9999] }, { runner_type: 'instance_type', token: 'SharedRunnerToken001' }, { runner_type: 'bogus' }],
      },
    })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('invalid fixture')
    const where = res.body.problems.map((p: { path: string }) => p.path)
    expect(where).toContain('/runners/0/projects/0')
    expect(where.some((p: string) => p.startsWith('/runners/2'))).toBe(true)
    expect((await h.get('/-/mock/state')).text).toBe(before)
    const dup = await h.post('/-/mock/records', { body: { users: [{ username: 'bob' }], runners: [{ runner_type: 'instance_type', token: 'SharedRunnerToken001' }] } })
    expect(dup.status).toBe(400)
    expect(dup.body.problems.map((p: { message: string }) => p.message).join('; ')).toMatch(/duplicate username bob/)
    expect((await h.post('/-/mock/records', { body: { runners: [{ runner_type: 'instance_type', token: 'SharedRunnerToken001' }] } })).body.problems).toEqual([
      { path: '/runners/0/token', message: 'duplicate token (already in the world)' },
    ])
    expect((await h.post('/-/mock/records', { body: { settings: {} } })).status).toBe(400)
    // An id already in the world is refused, not written over the record that has it.
    const taken = await h.post('/-/mock/records', { body: { runners: [{ id: 2, runner_type: 'instance_type', description: 'over runner 2' }], jobs: [{ id: 1, runner: 1, project: 'acme/backend/api', status: 'running' }] } })
    expect(taken.status).toBe(400)
    expect(taken.body.problems).toEqual([
      { path: '/runners/0/id', message: 'duplicate id 2 (a runner already in the world)' },
      { path: '/jobs/0/id', message: 'duplicate id 1 (a job already in the world)' },
    ])
    expect((await h.get('/-/mock/state')).text).toBe(before)
  })

  it('adds generated runners, twice, with distinct ids and tokens', async () => {
    const h = harness()
    const a = await h.post('/-/mock/records', { body: { generate: { runners: 50 } } })
    const b = await h.post('/-/mock/records', { body: { generate: { runners: 50 } } })
    expect(a.body.runners).toHaveLength(50)
    const tokens = new Set([...a.body.runners, ...b.body.runners].map((r: { token: string }) => r.token))
    expect(tokens.size).toBe(100)
    expect((await h.get('/-/mock/ready')).body.runners).toBe(131)
  })

  it('simulates a heartbeat now or at an instant, with what the runner reports', async () => {
    const h = harness()
    const never = (await h.get('/api/v4/runners/all', { ...admin, query: { status: 'never_contacted' } })).body[0]
    const res = await h.post(`/-/mock/runners/${never.id}/contact`, { body: { version: '17.0.1', platform: 'linux', architecture: 'arm64', ip_address: '10.9.8.7', system_id: 's_0123' } })
    expect(res.body).toMatchObject({ id: never.id, status: 'online', online: true })
    expect((await h.get(`/api/v4/runners/${never.id}`, admin)).body).toMatchObject({ version: '17.0.1', architecture: 'arm64', ip_address: '10.9.8.7', status: 'online', contacted_at: '2026-01-15T12:00:00.000Z' })
    const old = await h.post('/-/mock/runners/1/contact', { body: { at: '-3h' } })
    expect(old.body).toMatchObject({ status: 'offline', online: false, contacted_at: '2026-01-15T09:00:00.000Z' })
    expect((await h.post('/-/mock/runners/99999/contact')).status).toBe(404)
    expect((await h.post('/-/mock/runners/1/contact', { body: { at: 'yesterday' } })).status).toBe(400)
  })

  it('puts a running job on a runner so it shows busy and online', async () => {
    const h = harness()
    await h.post('/-/mock/runners/6/contact', { body: { at: '-1d' } })
    const res = await h.post('/-/mock/runners/6/jobs', { body: { status: 'running', ref: 'feature' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ runner_id: 6, project_id: 100, status: 'running', ref: 'feature' })
    const jobs = await h.get('/api/v4/runners/6/jobs', { ...admin, query: { status: 'running' } })
    expect(jobs.body.map((j: { id: number }) => j.id)).toContain(res.body.id)
    expect((await h.get('/api/v4/runners/6', admin)).body.status).toBe('online')
    expect((await h.post('/-/mock/runners/6/jobs', { body: { project: 'acme/frontend/web', status: 'success' } })).body.project_id).toBeGreaterThan(0)
    expect((await h.post('/-/mock/runners/6/jobs', { body: { status: 'flying' } })).status).toBe(400)
    expect((await h.post('/-/mock/runners/6/jobs', { body: { project: 'nope/nope' } })).status).toBe(400)
  })
})
