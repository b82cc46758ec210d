import { describe, expect, it } from 'vitest'
import { TOKENS, expectError, harness } from '../../../test/harness.js'
import type { Fixture } from '../../seed/fixture-types.js'
import { DEFAULT_FIXTURE } from '../../world.js'

const LATEST = '18.11'
const FORBIDDEN = { message: '403 Forbidden - Insufficient permissions' }

/** The default world plus a create_runner-only and a read_api token for alice (Owner of acme). */
function withScopedTokens(): Fixture {
  return {
    ...DEFAULT_FIXTURE,
    users: DEFAULT_FIXTURE.users!.map((u) =>
      u.username === 'alice'
        ? { ...u, tokens: [...(u.tokens ?? []), { token: 'glpat-CreateRunnerOnly0001', scopes: ['create_runner'] }, { token: 'glpat-AliceReadApiOnly0001', scopes: ['read_api'] }] }
        : u,
    ),
  }
}

describe('POST /user/runners (16.0+ answers)', () => {
  it('creates an instance runner for an admin: 201 with id, a glrt- token and token_expires_at; the runner exists at once, never contacted', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const res = await h.post('/user/runners', {
      token: TOKENS.admin,
      body: {
        runner_type: 'instance_type',
        description: 'fleet-1',
        maintenance_note: 'rack 9',
        paused: true,
        locked: true,
        access_level: 'ref_protected',
        run_untagged: false,
        tag_list: 'docker, linux',
        maximum_timeout: 3600,
      },
    })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['id', 'token', 'token_expires_at'])
    // 17.5+: the partition prefix of the runner type (t1_ instance).
    expect(res.body.token).toMatch(/^glrt-t1_[A-Za-z0-9_-]{20}$/)
    expect(res.body.token_expires_at).toBeNull()
    const details = await h.get(`/runners/${res.body.id}`, { token: TOKENS.admin })
    expect(details.body).toMatchObject({
      id: res.body.id,
      description: 'fleet-1',
      active: false,
      paused: true,
      is_shared: true,
      runner_type: 'instance_type',
      online: null,
      status: 'never_contacted',
      tag_list: ['docker', 'linux'],
      run_untagged: false,
      locked: true,
      maximum_timeout: 3600,
      access_level: 'ref_protected',
      version: null,
      contacted_at: null,
    })
    const managers = await h.get(`/runners/${res.body.id}/managers`, { token: TOKENS.admin })
    expect(managers.body).toEqual([])
  })

  it('creates a group runner for the group Owner and a project runner for a project Maintainer, with each type\'s prefix', async () => {
    const h = harness({ gitlabVersion: LATEST })
    const group = await h.post('/user/runners', { token: TOKENS.groupOwner, body: { runner_type: 'group_type', group_id: 10 } })
    expect(group.status).toBe(201)
    expect(group.body.token).toMatch(/^glrt-t2_/)
    const project = await h.post('/user/runners', { token: TOKENS.maintainer, form: { runner_type: 'project_type', project_id: '100' } })
    expect(project.status).toBe(201)
    expect(project.body.token).toMatch(/^glrt-t3_/)
    const details = await h.get(`/runners/${project.body.id}`, { token: TOKENS.maintainer })
    expect(details.body.projects.map((p: { id: number }) => p.id)).toEqual([100])
    const groupDetails = await h.get(`/runners/${group.body.id}`, { token: TOKENS.groupOwner })
    expect(groupDetails.body.groups.map((g: { id: number }) => g.id)).toEqual([10])
  })

  it('tokens have no partition prefix before 17.5', async () => {
    const h = harness({ gitlabVersion: '17.4' })
    const res = await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'instance_type' } })
    expect(res.body.token).toMatch(/^glrt-[A-Za-z0-9_-]{20}$/)
  })

  it.each([
    ['a non-admin, instance_type', TOKENS.groupOwner, { runner_type: 'instance_type' }],
    ['a group Maintainer, group_type', TOKENS.groupMaintainer, { runner_type: 'group_type', group_id: 10 }],
    ['a project Developer, project_type', TOKENS.developer, { runner_type: 'project_type', project_id: 100 }],
    // GitLab finds the project without a visibility check: someone who may not even see it gets 403, not 404.
    ['an outsider on a private project', TOKENS.outsider, { runner_type: 'project_type', project_id: 104 }],
    ['an outsider on a private group', TOKENS.outsider, { runner_type: 'group_type', group_id: 10 }],
  ])('refuses %s with 403 Insufficient permissions', async (_name, token, body) => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.post('/user/runners', { token, body }), 403, FORBIDDEN)
  })

  it('answers 400 Missing/invalid group or project for an unknown or blank id, before the permission check', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.post('/user/runners', { token: TOKENS.outsider, body: { runner_type: 'group_type', group_id: 9999 } }), 400, {
      message: '400 Bad request - Missing/invalid group',
    })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'project_type', project_id: 9999 } }), 400, {
      message: '400 Bad request - Missing/invalid project',
    })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, form: { runner_type: 'project_type', project_id: '' } }), 400, {
      message: '400 Bad request - Missing/invalid project',
    })
  })

  it('validates parameters as Grape does: runner_type, then the id its type requires', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: {} }), 400, { error: 'runner_type is missing' })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'shared' } }), 400, { error: 'runner_type does not have a valid value' })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'group_type' } }), 400, { error: 'group_id is missing' })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'project_type', project_id: 'x', paused: 'maybe' } }), 400, {
      error: 'project_id is invalid, paused is invalid',
    })
    // An id the type does not use is not declared for it, so not checked.
    expect((await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'instance_type', group_id: 'x' } })).status).toBe(201)
  })

  it('reports model validation failures as one sentence', async () => {
    const h = harness({ gitlabVersion: LATEST })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'instance_type', run_untagged: false } }), 400, {
      message: '400 Bad request - Tags list can not be empty when runner is not allowed to pick untagged jobs',
    })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'instance_type', run_untagged: false, maximum_timeout: 60 } }), 400, {
      message: '400 Bad request - Tags list can not be empty when runner is not allowed to pick untagged jobs and Maximum timeout needs to be at least 10 minutes',
    })
  })

  it('accepts a create_runner token (16.1+) for POST only, refuses read_api, and wants a token at all', async () => {
    const h = harness({ gitlabVersion: LATEST, fixture: withScopedTokens() })
    expect((await h.post('/user/runners', { token: 'glpat-CreateRunnerOnly0001', body: { runner_type: 'group_type', group_id: 10 } })).status).toBe(201)
    expectError(await h.get('/runners', { token: 'glpat-CreateRunnerOnly0001' }), 403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api read_api',
    })
    expectError(await h.post('/user/runners', { token: 'glpat-AliceReadApiOnly0001', body: { runner_type: 'group_type', group_id: 10 } }), 403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api create_runner',
    })
    expectError(await h.post('/user/runners', { body: { runner_type: 'instance_type' } }), 401, { message: '401 Unauthorized' })
    const old = harness({ gitlabVersion: '16.0', fixture: withScopedTokens() })
    expect((await old.post('/user/runners', { token: 'glpat-CreateRunnerOnly0001', body: { runner_type: 'group_type', group_id: 10 } })).status).toBe(403)
  })

  it('refuses non-admins when the instance does not allow that kind of registrar', async () => {
    const fixture: Fixture = { ...DEFAULT_FIXTURE, settings: { ...DEFAULT_FIXTURE.settings, allowed_registrars: ['group'] } }
    const h = harness({ gitlabVersion: LATEST, fixture })
    expectError(await h.post('/user/runners', { token: TOKENS.maintainer, body: { runner_type: 'project_type', project_id: 100 } }), 403, FORBIDDEN)
    expect((await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'project_type', project_id: 100 } })).status).toBe(201)
  })
})

describe('POST /user/runners on 15.11 (creation feature flags off by default)', () => {
  it('refuses every runner type, admins included, with 403 Insufficient permissions', async () => {
    const h = harness({ gitlabVersion: '15.11' })
    for (const body of [{ runner_type: 'instance_type' }, { runner_type: 'group_type', group_id: 10 }, { runner_type: 'project_type', project_id: 100 }])
      expectError(await h.post('/user/runners', { token: TOKENS.admin, body }), 403, FORBIDDEN)
  })

  it('still validates parameters and looks the group up first', async () => {
    const h = harness({ gitlabVersion: '15.11' })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'group_type' } }), 400, { error: 'group_id is missing' })
    expectError(await h.post('/user/runners', { token: TOKENS.admin, body: { runner_type: 'group_type', group_id: 9999 } }), 400, {
      message: '400 Bad request - Missing/invalid group',
    })
  })
})
