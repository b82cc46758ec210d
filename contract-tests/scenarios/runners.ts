/** @module Scenarios of the user-token /runners endpoints: lists, details, update, delete, jobs, token resets. */
import { expect } from 'vitest'
import { MISSING_ID, contact, registerRunner, runTag, twoProjectRunner } from '../lib/runners.js'
import { UNAUTHORIZED, ids, registrationResetScenario } from '../lib/shared-scenarios.js'
import type { Scenario, ScenarioContext } from '../lib/types.js'
import { updateNeedsOneParameterBody } from '../lib/version-answers.js'

const OLD_DATE = 'Thu, 01 Jan 2015 00:00:00 GMT'

/** 401 without a token, the same on every management endpoint. */
const unauthorized = (id: string, endpoint: string, call: (ctx: ScenarioContext) => Promise<import('../lib/http.js').ContractResponse>): Scenario => ({
  id,
  endpoint,
  title: 'answers 401 without a token',
  async run(ctx) {
    ctx.api.expectError(await call(ctx), 401, UNAUTHORIZED)
  },
})

/** 403 `403 Forbidden` to a non-admin on an admin-only endpoint. */
const notAdmin = (id: string, endpoint: string, call: (ctx: ScenarioContext) => Promise<import('../lib/http.js').ContractResponse>): Scenario => ({
  id,
  endpoint,
  title: 'answers 403 Forbidden to a non-admin',
  async run(ctx) {
    ctx.api.expectError(await call(ctx), 403, { message: '403 Forbidden' })
  },
})

export const runnerScenarios: Scenario[] = [
  {
    id: 'list-owned.ok',
    endpoint: 'GET /runners',
    title: 'lists the runners the user owns (200), filtered by tag, ascending ids',
    async run(ctx) {
      const a = await registerRunner(ctx, 'project', 'owned-a')
      const b = await registerRunner(ctx, 'project', 'owned-b', { paused: true })
      const res = await ctx.api.get('/runners', { token: ctx.world.tokens.maintainer, query: { tag_list: runTag(ctx), per_page: 100 } })
      const list = ctx.api.expectStatus(res, 200)
      expect(ids(list)).toEqual(expect.arrayContaining([a.id, b.id]))
      expect(ids(list)).toEqual([...ids(list)].sort((x, y) => x - y))
      expect(res.headers.get('x-page')).toBe('1')
      const paused = ctx.api.expectStatus(await ctx.api.get('/runners', { token: ctx.world.tokens.maintainer, query: { tag_list: runTag(ctx), paused: true } }), 200)
      expect(ids(paused)).toContain(b.id)
      expect(ids(paused)).not.toContain(a.id)
    },
  },
  {
    id: 'list-owned.not-owner',
    endpoint: 'GET /runners',
    title: 'shows a reporter none of the project runners (200 without them)',
    async run(ctx) {
      const a = await registerRunner(ctx, 'project', 'not-owned')
      const list = ctx.api.expectStatus(await ctx.api.get('/runners', { token: ctx.world.tokens.reporter, query: { tag_list: runTag(ctx) } }), 200)
      expect(ids(list)).not.toContain(a.id)
    },
  },
  {
    id: 'list-owned.bad-filters',
    endpoint: 'GET /runners',
    title: 'answers 400 for an unknown type and for a scope this endpoint does not allow',
    async run(ctx) {
      const token = ctx.world.tokens.maintainer
      ctx.api.expectError(await ctx.api.get('/runners', { token, query: { type: 'bogus' } }), 400, { error: 'type does not have a valid value' })
      ctx.api.expectError(await ctx.api.get('/runners', { token, query: { scope: 'specific' } }), 400, { message: 'Scope contains invalid value' })
    },
  },
  unauthorized('list-owned.anonymous', 'GET /runners', (ctx) => ctx.api.get('/runners')),
  {
    id: 'list-all.ok',
    endpoint: 'GET /runners/all',
    title: 'lists every runner to an admin (200), filtered by type and tag',
    async run(ctx) {
      const p = await registerRunner(ctx, 'project', 'all-project')
      const g = await registerRunner(ctx, 'group', 'all-group')
      const token = ctx.world.tokens.admin
      const all = ctx.api.expectStatus(await ctx.api.get('/runners/all', { token, query: { tag_list: runTag(ctx), per_page: 100 } }), 200)
      expect(ids(all)).toEqual(expect.arrayContaining([p.id, g.id]))
      const groups = ctx.api.expectStatus(await ctx.api.get('/runners/all', { token, query: { tag_list: runTag(ctx), type: 'group_type', per_page: 100 } }), 200)
      expect(ids(groups)).toContain(g.id)
      expect(groups.every((r: { runner_type: string }) => r.runner_type === 'group_type')).toBe(true)
    },
  },
  notAdmin('list-all.not-admin', 'GET /runners/all', (ctx) => ctx.api.get('/runners/all', { token: ctx.world.tokens.maintainer })),
  unauthorized('list-all.anonymous', 'GET /runners/all', (ctx) => ctx.api.get('/runners/all')),
  {
    id: 'show.owner',
    endpoint: 'GET /runners/:id',
    title: 'shows a project runner to its project maintainer (200) with its project',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'show')
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainer }), 200)
      expect(details).toMatchObject({ id: runner.id, runner_type: 'project_type', groups: [] })
      expect(details.projects).toEqual([expect.objectContaining({ id: ctx.world.project.id, path_with_namespace: ctx.world.project.path })])
    },
  },
  {
    id: 'show.instance-to-anyone',
    endpoint: 'GET /runners/:id',
    title: 'shows an instance runner to any signed-in user (200)',
    requires: ['instanceRunner'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'instance', 'show-instance')
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.reporter }), 200)
      expect(details).toMatchObject({ id: runner.id, is_shared: true, projects: [], groups: [] })
    },
  },
  {
    id: 'show.not-owner',
    endpoint: 'GET /runners/:id',
    title: 'answers 403 No access granted to a reporter',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'show-403')
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden - No access granted' })
    },
  },
  {
    id: 'show.missing',
    endpoint: 'GET /runners/:id',
    title: 'answers 404 Not found for an unknown id and 400 for a non-numeric one',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.get(`/runners/${MISSING_ID}`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
      ctx.api.expectError(await ctx.api.get('/runners/abc', { token: ctx.world.tokens.admin }), 400, { error: 'id is invalid' })
    },
  },
  unauthorized('show.anonymous', 'GET /runners/:id', (ctx) => ctx.api.get(`/runners/${MISSING_ID}`)),
  {
    id: 'update.ok',
    endpoint: 'PUT /runners/:id',
    title: 'updates a runner for its maintainer (200) and returns the new details',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'update')
      await contact(ctx, runner)
      const body = ctx.api.expectStatus(
        await ctx.api.put(`/runners/${runner.id}`, {
          token: ctx.world.tokens.maintainer,
          form: { description: `${runner.description}-new`, tag_list: `${runTag(ctx)},gpu`, paused: 'true', locked: 'true', maximum_timeout: '7200' },
        }),
        200,
      )
      expect(body).toMatchObject({ description: `${runner.description}-new`, active: false, paused: true, status: 'paused', locked: true, maximum_timeout: 7200 })
      expect([...body.tag_list].sort()).toEqual([runTag(ctx), 'gpu'].sort())
    },
  },
  {
    id: 'update.bad-params',
    endpoint: 'PUT /runners/:id',
    title: 'answers 400 for no parameter, for active with paused, for a bad access_level and for a short timeout',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'update-400')
      const token = ctx.world.tokens.maintainer
      const path = `/runners/${runner.id}`
      ctx.api.expectError(await ctx.api.put(path, { token, form: {} }), 400, updateNeedsOneParameterBody(ctx))
      ctx.api.expectError(await ctx.api.put(path, { token, form: { active: 'true', paused: 'true' } }), 400, { error: 'active, paused are mutually exclusive' })
      ctx.api.expectError(await ctx.api.put(path, { token, form: { access_level: 'everyone' } }), 400, { error: 'access_level does not have a valid value' })
      ctx.api.expectError(await ctx.api.put(path, { token, form: { maximum_timeout: '10' } }), 400, { message: { maximum_timeout: ['needs to be at least 10 minutes'] } })
    },
  },
  {
    id: 'update.not-owner',
    endpoint: 'PUT /runners/:id',
    title: 'answers 403 No access granted to a reporter and 404 for an unknown runner',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'update-403')
      const form = { description: 'x' }
      ctx.api.expectError(await ctx.api.put(`/runners/${runner.id}`, { token: ctx.world.tokens.reporter, form }), 403, { message: '403 Forbidden - No access granted' })
      ctx.api.expectError(await ctx.api.put(`/runners/${MISSING_ID}`, { token: ctx.world.tokens.admin, form }), 404, { message: '404 Not found' })
    },
  },
  {
    id: 'update.read-only-token',
    endpoint: 'PUT /runners/:id',
    title: 'answers 403 insufficient_scope to a read_api token',
    requires: ['readOnlyToken'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'update-scope')
      const res = await ctx.api.put(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainerReadOnly, form: { description: 'x' } })
      ctx.api.expectStatus(res, 403)
      expect(res.body).toMatchObject({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.' })
    },
  },
  {
    id: 'update.revoked-token',
    endpoint: 'PUT /runners/:id',
    title: 'answers 401 invalid_token to a revoked token',
    requires: ['revokedToken'],
    async run(ctx) {
      const res = await ctx.api.put(`/runners/${MISSING_ID}`, { token: ctx.world.tokens.revoked, form: { description: 'x' } })
      ctx.api.expectError(res, 401, { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' })
    },
  },
  {
    id: 'update.expired-token',
    endpoint: 'PUT /runners/:id',
    title: 'answers 401 invalid_token to an expired token',
    requires: ['expiredToken'],
    async run(ctx) {
      const res = await ctx.api.put(`/runners/${MISSING_ID}`, { token: ctx.world.tokens.expired, form: { description: 'x' } })
      ctx.api.expectError(res, 401, { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' })
    },
  },
  unauthorized('update.anonymous', 'PUT /runners/:id', (ctx) => ctx.api.put(`/runners/${MISSING_ID}`, { form: { description: 'x' } })),
  {
    id: 'delete.ok',
    endpoint: 'DELETE /runners/:id',
    title: 'deletes a single-project runner for its maintainer (204)',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'delete')
      ctx.api.expectStatus(await ctx.api.del(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainer }), 204)
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
    },
  },
  {
    id: 'delete.multi-project',
    endpoint: 'DELETE /runners/:id',
    title: 'answers 403 to a non-admin when the runner has more than one project',
    async run(ctx) {
      const runner = await twoProjectRunner(ctx, 'delete-multi')
      ctx.api.expectError(await ctx.api.del(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainer }), 403, {
        message: '403 Forbidden - Runner associated with more than one project',
      })
    },
  },
  {
    id: 'delete.errors',
    endpoint: 'DELETE /runners/:id',
    title: 'answers 403 No access granted to a reporter, 404 for an unknown runner, 412 for an old If-Unmodified-Since',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'delete-errors')
      ctx.api.expectError(await ctx.api.del(`/runners/${runner.id}`, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden - No access granted' })
      ctx.api.expectError(await ctx.api.del(`/runners/${MISSING_ID}`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
      const res = await ctx.api.del(`/runners/${runner.id}`, { token: ctx.world.tokens.admin, headers: { 'If-Unmodified-Since': OLD_DATE } })
      ctx.api.expectError(res, 412, { message: '412 Precondition Failed' })
    },
  },
  unauthorized('delete.anonymous', 'DELETE /runners/:id', (ctx) => ctx.api.del(`/runners/${MISSING_ID}`)),
  {
    id: 'jobs.empty',
    endpoint: 'GET /runners/:id/jobs',
    title: 'lists no jobs for a runner that never ran one (200 [])',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'jobs-empty')
      expect(ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}/jobs`, { token: ctx.world.tokens.maintainer }), 200)).toEqual([])
    },
  },
  {
    id: 'jobs.seeded',
    endpoint: 'GET /runners/:id/jobs',
    title: 'lists a runner\'s jobs (200) with user, commit, pipeline and project; filters by status; orders by id',
    requires: ['seededJobs'],
    async run(ctx) {
      const path = `/runners/${ctx.world.jobsRunnerId}/jobs`
      const token = ctx.world.tokens.maintainer
      const jobs = ctx.api.expectStatus(await ctx.api.get(path, { token }), 200)
      expect(jobs.length).toBeGreaterThan(1)
      expect(ids(jobs)).toEqual([...ids(jobs)].sort((a, b) => a - b))
      for (const job of jobs) expect(job.project.id).toBe(ctx.world.project.id)
      const failed = ctx.api.expectStatus(await ctx.api.get(path, { token, query: { status: 'failed' } }), 200)
      expect(failed.length).toBeGreaterThan(0)
      for (const job of failed) expect(job).toMatchObject({ status: 'failed', failure_reason: expect.any(String) })
      const desc = ctx.api.expectStatus(await ctx.api.get(path, { token, query: { order_by: 'id' } }), 200)
      expect(ids(desc)).toEqual([...ids(jobs)].reverse())
    },
  },
  {
    id: 'jobs.errors',
    endpoint: 'GET /runners/:id/jobs',
    title: 'answers 400 for an unknown status, 403 to a reporter, 404 for an unknown runner',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'jobs-errors')
      const path = `/runners/${runner.id}/jobs`
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.maintainer, query: { status: 'bogus' } }), 400, { error: 'status does not have a valid value' })
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden - No access granted' })
      ctx.api.expectError(await ctx.api.get(`/runners/${MISSING_ID}/jobs`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
    },
  },
  unauthorized('jobs.anonymous', 'GET /runners/:id/jobs', (ctx) => ctx.api.get(`/runners/${MISSING_ID}/jobs`)),
  {
    id: 'reset-by-id.ok',
    endpoint: 'POST /runners/:id/reset_authentication_token',
    title: 'resets a runner\'s token for its maintainer (201); the old token stops working',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'reset-by-id')
      const body = ctx.api.expectStatus(await ctx.api.post(`/runners/${runner.id}/reset_authentication_token`, { token: ctx.world.tokens.maintainer }), 201)
      expect(body.token).not.toBe(runner.token)
      ctx.api.expectError(await ctx.api.post('/runners/verify', { json: { token: runner.token } }), 403, { message: '403 Forbidden' })
    },
  },
  {
    id: 'reset-by-id.errors',
    endpoint: 'POST /runners/:id/reset_authentication_token',
    title: 'answers 403 No access granted to a reporter and 404 for an unknown runner',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'reset-by-id-errors')
      const res = await ctx.api.post(`/runners/${runner.id}/reset_authentication_token`, { token: ctx.world.tokens.reporter })
      ctx.api.expectError(res, 403, { message: '403 Forbidden - No access granted' })
      ctx.api.expectError(await ctx.api.post(`/runners/${MISSING_ID}/reset_authentication_token`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
    },
  },
  unauthorized('reset-by-id.anonymous', 'POST /runners/:id/reset_authentication_token', (ctx) => ctx.api.post(`/runners/${MISSING_ID}/reset_authentication_token`)),
  registrationResetScenario({
    id: 'reset-instance-registration.ok',
    endpoint: 'POST /runners/reset_registration_token',
    title: 'resets the instance registration token for an admin (201 {token}); the old one stops registering',
    kind: 'instance',
    requires: ['instanceRunner', 'destructive'],
    path: () => '/runners/reset_registration_token',
    token: (ctx) => ctx.world.tokens.admin,
  }),
  notAdmin('reset-instance-registration.not-admin', 'POST /runners/reset_registration_token', (ctx) =>
    ctx.api.post('/runners/reset_registration_token', { token: ctx.world.tokens.maintainer }),
  ),
  unauthorized('reset-instance-registration.anonymous', 'POST /runners/reset_registration_token', (ctx) => ctx.api.post('/runners/reset_registration_token')),
]
