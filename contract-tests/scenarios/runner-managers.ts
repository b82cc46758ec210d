/**
 * @module Scenarios of the 16+ workflow: POST /user/runners, runner managers (POST /runners/verify with a system_id,
 * GET /runners/:id/managers, DELETE /runners/managers). Each reads the target's version from GET /version and
 * asserts that version's answer, the absence of an endpoint included (POST /user/runners refuses everyone
 * before 16.0, DELETE /runners/managers is 16.0+, the managers list 17.1+).
 */
import { expect } from 'vitest'
import { versionOrder, type GitLabVersion } from '../../src/domain/gitlab-version.js'
import { registerRunner, runTag } from '../lib/runners.js'
import type { Scenario, ScenarioContext } from '../lib/types.js'

const CREATE = 'POST /user/runners'
const MANAGERS = 'GET /runners/:id/managers'
const DELETE_MANAGER = 'DELETE /runners/managers'
const INSUFFICIENT = { message: '403 Forbidden - Insufficient permissions' }

/** The target's `major.minor` from GET /version (`18.11.0-ee` → 18.11). */
async function targetVersion(ctx: ScenarioContext): Promise<GitLabVersion> {
  const body = ctx.api.expectStatus(await ctx.api.get('/version', { token: ctx.world.tokens.admin }), 200)
  const match = /^(\d+)\.(\d+)/.exec(String(body.version))
  if (!match) throw new Error(`GET /version answered an unreadable version: ${JSON.stringify(body.version)}`)
  return `${Number(match[1])}.${Number(match[2])}`
}

const atLeast = (version: GitLabVersion, since: GitLabVersion) => versionOrder(version) >= versionOrder(since)

/** A project runner of `project` with a glrt- token where the version creates runners, else a registered one. */
async function runnerWithToken(ctx: ScenarioContext, version: GitLabVersion, label: string): Promise<{ id: number; token: string }> {
  if (!atLeast(version, '16.0')) return registerRunner(ctx, 'project', label)
  const res = await ctx.api.post('/user/runners', {
    token: ctx.world.tokens.maintainer,
    json: { runner_type: 'project_type', project_id: ctx.world.project.id, description: `contract-${ctx.world.runId}-${label}`, tag_list: [runTag(ctx)] },
  })
  const body = ctx.api.expectStatus(res, 201)
  ctx.world.track(body.id)
  return body
}

export const runnerManagerScenarios: Scenario[] = [
  {
    id: 'user-runners.create-project',
    endpoint: CREATE,
    title: 'a project Maintainer creates a project runner (201, glrt- token, never contacted, no manager); before 16.0 the creation flags refuse it (403)',
    async run(ctx) {
      const version = await targetVersion(ctx)
      const res = await ctx.api.post('/user/runners', {
        token: ctx.world.tokens.maintainer,
        json: { runner_type: 'project_type', project_id: ctx.world.project.id, description: `contract-${ctx.world.runId}-created`, tag_list: [runTag(ctx)], paused: true },
      })
      if (!atLeast(version, '16.0')) return ctx.api.expectError(res, 403, INSUFFICIENT)
      const created = ctx.api.expectStatus(res, 201)
      ctx.world.track(created.id)
      expect(created.token).toMatch(/^glrt-/)
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${created.id}`, { token: ctx.world.tokens.maintainer }), 200)
      expect(details).toMatchObject({ id: created.id, runner_type: 'project_type', paused: true, active: false, status: 'never_contacted', contacted_at: null })
      expect(details.projects.map((p: { id: number }) => p.id)).toEqual([ctx.world.project.id])
      if (atLeast(version, '17.1'))
        expect(ctx.api.expectStatus(await ctx.api.get(`/runners/${created.id}/managers`, { token: ctx.world.tokens.maintainer }), 200)).toEqual([])
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
    title: 'verify from two system ids (one twice) gives the runner two managers, listed unpaginated from 17.1; before 17.1 the route does not exist',
    async run(ctx) {
      const version = await targetVersion(ctx)
      const runner = await runnerWithToken(ctx, version, 'managers')
      for (const systemId of ['s_c0c0c0c0c0c1', 's_c0c0c0c0c0c1', 's_c0c0c0c0c0c2'])
        ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token: runner.token, system_id: systemId } }), 200)
      const res = await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer })
      if (!atLeast(version, '17.1')) return ctx.api.expectError(res, 404, { error: '404 Not Found' })
      const managers = ctx.api.expectStatus(res, 200)
      expect(managers.map((m: { system_id: string }) => m.system_id)).toEqual(['s_c0c0c0c0c0c1', 's_c0c0c0c0c0c2'])
      expect(res.headers.get('x-total')).toBeNull()
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.outsider }), 403, { message: '403 Forbidden - No access granted' })
    },
  },
  {
    id: 'managers.delete',
    endpoint: DELETE_MANAGER,
    title: 'DELETE /runners/managers removes one manager (204) and answers 404 Runner manager not found for an unknown system id; before 16.0 the path is DELETE /runners/:id\'s (401)',
    async run(ctx) {
      const version = await targetVersion(ctx)
      const runner = await runnerWithToken(ctx, version, 'unregister')
      if (!atLeast(version, '16.0')) {
        ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 401, { message: '401 Unauthorized' })
        return
      }
      for (const systemId of ['s_d0d0d0d0d0d1', 's_d0d0d0d0d0d2'])
        ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token: runner.token, system_id: systemId } }), 200)
      ctx.api.expectStatus(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 204)
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token, system_id: 's_d0d0d0d0d0d1' } }), 404, {
        message: '404 Runner manager not found Not Found',
      })
      ctx.api.expectError(await ctx.api.del('/runners/managers', { json: { token: runner.token } }), 400, { error: 'system_id is missing' })
      if (atLeast(version, '17.1')) {
        const managers = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}/managers`, { token: ctx.world.tokens.maintainer }), 200)
        expect(managers.map((m: { system_id: string }) => m.system_id)).toEqual(['s_d0d0d0d0d0d2'])
      }
    },
  },
]
