/**
 * @module Scenarios of the 16+ workflow: POST /user/runners, runner managers (POST /runners/verify with a system_id,
 * GET /runners/:id/managers, DELETE /runners/managers) and GET /runners/:id/projects. Each carries the GitLab
 * versions it describes; where an endpoint is missing or refuses before some version, a scenario says so too.
 */
import { expect } from 'vitest'
import { registerRunner, runTag } from '../lib/runners.js'
import type { Scenario, ScenarioContext } from '../lib/types.js'

const CREATE = 'POST /user/runners'
const MANAGERS = 'GET /runners/:id/managers'
const DELETE_MANAGER = 'DELETE /runners/managers'
const PROJECTS = 'GET /runners/:id/projects'
const INSUFFICIENT = { message: '403 Forbidden - Insufficient permissions' }

/** A project runner of `project` created by its Maintainer with POST /user/runners (16.0+): a glrt- token. */
async function createdRunner(ctx: ScenarioContext, label: string, extra: Record<string, unknown> = {}): Promise<{ id: number; token: string }> {
  const res = await ctx.api.post('/user/runners', {
    token: ctx.world.tokens.maintainer,
    json: { runner_type: 'project_type', project_id: ctx.world.project.id, description: `contract-${ctx.world.runId}-${label}`, tag_list: [runTag(ctx)], ...extra },
  })
  const body = ctx.api.expectStatus(res, 201)
  ctx.world.track(body.id)
  expect(body.token).toMatch(/^glrt-/)
  return body
}

async function verify(ctx: ScenarioContext, token: string, systemIds: string[]): Promise<void> {
  for (const systemId of systemIds) ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token, system_id: systemId } }), 200)
}

const systemIdsOf = (managers: Array<{ system_id: string }>) => managers.map((m) => m.system_id)

export const runnerManagerScenarios: Scenario[] = [
  {
    id: 'user-runners.create-project',
    endpoint: CREATE,
    title: 'a project Maintainer creates a project runner (201, glrt- token): it exists at once, never contacted, with its project',
    since: '16.0',
    async run(ctx) {
      const created = await createdRunner(ctx, 'created', { paused: true })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${created.id}`, { token: ctx.world.tokens.maintainer }), 200)
      expect(details).toMatchObject({ id: created.id, runner_type: 'project_type', paused: true, active: false, status: 'never_contacted', contacted_at: null })
      expect(details.projects.map((p: { id: number }) => p.id)).toEqual([ctx.world.project.id])
    },
  },
  {
    id: 'user-runners.flags-off',
    endpoint: CREATE,
    title: 'refuses every caller, administrators included, with 403 Insufficient permissions (runner-creation feature flags off by default)',
    until: '16.0',
    async run(ctx) {
      const res = await ctx.api.post('/user/runners', { token: ctx.world.tokens.admin, json: { runner_type: 'project_type', project_id: ctx.world.project.id } })
      ctx.api.expectError(res, 403, INSUFFICIENT)
    },
  },
  {
    id: 'user-runners.outsider',
    endpoint: CREATE,
    title: 'someone who may not even see the project gets 403 Insufficient permissions (the project is found without a visibility check)',
    async run(ctx) {
      const res = await ctx.api.post('/user/runners', { token: ctx.world.tokens.outsider, json: { runner_type: 'project_type', project_id: ctx.world.project.id } })
      ctx.api.expectError(res, 403, INSUFFICIENT)
    },
  },
  {
    id: 'user-runners.unknown-group',
    endpoint: CREATE,
    title: 'an unknown group id is 400 Missing/invalid group, before any permission check',
    async run(ctx) {
      const res = await ctx.api.post('/user/runners', { token: ctx.world.tokens.outsider, json: { runner_type: 'group_type', group_id: 2_000_000_000 } })
      ctx.api.expectError(res, 400, { message: '400 Bad request - Missing/invalid group' })
    },
  },
  {
    id: 'user-runners.missing-group-id',
    endpoint: CREATE,
    title: 'group_type without group_id is Grape\'s 400 group_id is missing',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/user/runners', { token: ctx.world.tokens.admin, json: { runner_type: 'group_type' } }), 400, { error: 'group_id is missing' })
    },
  },
  {
    id: 'managers.verify-and-list',
    endpoint: MANAGERS,
    title: 'a created runner has no manager; verify from two system ids (one twice) gives it two, listed unpaginated in creation order; an outsider gets 403',
    since: '17.1',
    async run(ctx) {
      const runner = await createdRunner(ctx, 'managers')
      expect(ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer }), 200)).toEqual([])
      await verify(ctx, runner.token, ['s_c0c0c0c0c0c1', 's_c0c0c0c0c0c1', 's_c0c0c0c0c0c2'])
      const res = await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer })
      expect(systemIdsOf(ctx.api.expectStatus(res, 200))).toEqual(['s_c0c0c0c0c0c1', 's_c0c0c0c0c0c2'])
      expect(res.headers.get('x-total')).toBeNull()
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.outsider }), 403, { message: '403 Forbidden - No access granted' })
    },
  },
  {
    id: 'managers.absent',
    endpoint: MANAGERS,
    title: 'the managers list does not exist yet (404 route not found)',
    until: '17.1',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'no-managers-route')
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer }), 404, { error: '404 Not Found' })
    },
  },
  {
    id: 'managers.delete',
    endpoint: DELETE_MANAGER,
    title: 'removes one manager (204), then answers 404 Runner manager not found for it; system_id is required',
    since: '16.0',
    async run(ctx) {
      const runner = await createdRunner(ctx, 'unregister')
      await verify(ctx, runner.token, ['s_d0d0d0d0d0d1', 's_d0d0d0d0d0d2'])
      ctx.api.expectStatus(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 204)
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 404, {
        message: '404 Runner manager not found Not Found',
      })
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token } }), 400, { error: 'system_id is missing' })
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: `nope-${ctx.world.runId}`, system_id: 's_d0d0d0d0d0d2' } }), 403, { message: '403 Forbidden' })
    },
  },
  {
    id: 'managers.delete-one-of-two',
    endpoint: DELETE_MANAGER,
    title: 'after unregistering one host the runner lists the other manager only',
    since: '17.1',
    async run(ctx) {
      const runner = await createdRunner(ctx, 'unregister-one')
      await verify(ctx, runner.token, ['s_e0e0e0e0e0e1', 's_e0e0e0e0e0e2'])
      ctx.api.expectStatus(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_e0e0e0e0e0e1' } }), 204)
      const managers = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer }), 200)
      expect(systemIdsOf(managers)).toEqual(['s_e0e0e0e0e0e2'])
    },
  },
  {
    id: 'managers.delete-absent',
    endpoint: DELETE_MANAGER,
    title: 'the path is still DELETE /runners/:id\'s: 401 without a user token',
    until: '16.0',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'no-managers-delete')
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 401, { message: '401 Unauthorized' })
    },
  },
  {
    id: 'runner-projects.list',
    endpoint: PROJECTS,
    title: 'lists a runner\'s projects the caller can see (200, paginated, newest id first); 403 to someone who may not read the runner',
    since: '18.0',
    async run(ctx) {
      const runner = await createdRunner(ctx, 'projects')
      ctx.api.expectStatus(await ctx.api.post(`/projects/${ctx.world.otherProject.id}/runners`, { token: ctx.world.tokens.maintainer, json: { runner_id: runner.id } }), 201)
      const res = await ctx.api.get(`/runners/${runner.id}/projects`, { token: ctx.world.tokens.maintainer })
      const projects = ctx.api.expectStatus(res, 200)
      expect(projects.map((p: { id: number }) => p.id)).toEqual([ctx.world.project.id, ctx.world.otherProject.id].sort((a, b) => b - a))
      expect(res.headers.get('x-total')).toBe('2')
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}/projects`, { token: ctx.world.tokens.outsider }), 403, { message: '403 Forbidden - No access granted' })
    },
  },
]
