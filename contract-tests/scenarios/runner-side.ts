/** @module Scenarios of the runner-facing endpoints: POST /runners, DELETE /runners, POST /runners/verify, POST /runners/reset_authentication_token. */
import { expect } from 'vitest'
import { contact, registerRunner, runTag } from '../lib/runners.js'
import type { Scenario } from '../lib/types.js'

const REGISTER = 'POST /runners'
const DELETE = 'DELETE /runners'
const VERIFY = 'POST /runners/verify'
const RESET = 'POST /runners/reset_authentication_token'

export const runnerSideScenarios: Scenario[] = [
  {
    id: 'register.project',
    endpoint: REGISTER,
    title: 'registers a project runner with a project registration token (201): never contacted, attached to the project',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'register-project', { tag_list: ['ruby'], maximum_timeout: 3600, access_level: 'ref_protected' })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect(details).toMatchObject({
        id: runner.id,
        description: runner.description,
        runner_type: 'project_type',
        is_shared: false,
        active: true,
        paused: false,
        online: null,
        status: 'never_contacted',
        contacted_at: null,
        maximum_timeout: 3600,
        access_level: 'ref_protected',
      })
      expect([...details.tag_list].sort()).toEqual([runTag(ctx), 'ruby'].sort())
      expect(details.projects.map((p: { id: number }) => p.id)).toEqual([ctx.world.project.id])
    },
  },
  {
    id: 'register.group',
    endpoint: REGISTER,
    title: 'registers a group runner with a group registration token (201)',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'group', 'register-group', { paused: true })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.groupOwner }), 200)
      expect(details).toMatchObject({ runner_type: 'group_type', is_shared: false, active: false, paused: true, projects: [] })
      expect(details.groups.map((g: { id: number }) => g.id)).toEqual([ctx.world.group.id])
    },
  },
  {
    id: 'register.instance',
    endpoint: REGISTER,
    title: 'registers an instance runner with the instance registration token (201)',
    requires: ['instanceRunner'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'instance', 'register-instance')
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.outsider }), 200)
      expect(details).toMatchObject({ runner_type: 'instance_type', is_shared: true, projects: [], groups: [] })
    },
  },
  {
    id: 'register.missing-token',
    endpoint: REGISTER,
    title: 'answers 400 token is missing without a token',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners', { json: { description: 'x' } }), 400, { error: 'token is missing' })
    },
  },
  {
    id: 'register.active-and-paused',
    endpoint: REGISTER,
    title: 'answers 400 when active and paused are both given',
    async run(ctx) {
      const res = await ctx.api.post('/runners', { json: { token: ctx.world.registration.project, active: true, paused: false } })
      ctx.api.expectError(res, 400, { error: 'active, paused are mutually exclusive' })
    },
  },
  {
    id: 'register.short-timeout',
    endpoint: REGISTER,
    title: 'answers 400 with the model error for a maximum_timeout under 10 minutes',
    async run(ctx) {
      const res = await ctx.api.post('/runners', { json: { token: ctx.world.registration.project, maximum_timeout: 60, description: `contract-${ctx.world.runId}-x` } })
      ctx.api.expectError(res, 400, { message: { maximum_timeout: ['needs to be at least 10 minutes'] } })
    },
  },
  {
    id: 'register.unknown-token',
    endpoint: REGISTER,
    title: 'answers 403 for an unknown registration token',
    until: '16.2',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners', { json: { token: `nope-${ctx.world.runId}` } }), 403, { message: '403 Forbidden' })
    },
  },
  {
    id: 'verify.ok',
    endpoint: VERIFY,
    title: 'verifies a runner token (200 with id, token, expiry) and marks the runner as contacted',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'verify')
      const body = ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token: runner.token } }), 200)
      expect(body).toMatchObject({ id: runner.id, token: runner.token })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect(details).toMatchObject({ online: true, status: 'online' })
      expect(details.contacted_at).not.toBeNull()
    },
  },
  {
    id: 'verify.unknown-token',
    endpoint: VERIFY,
    title: 'answers 403 for an unknown runner token',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners/verify', { json: { token: `nope-${ctx.world.runId}` } }), 403, { message: '403 Forbidden' })
    },
  },
  {
    id: 'verify.missing-token',
    endpoint: VERIFY,
    title: 'answers 400 token is missing',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners/verify', { json: {} }), 400, { error: 'token is missing' })
    },
  },
  {
    id: 'reset-by-token.ok',
    endpoint: RESET,
    title: 'resets the authentication token with the current one (201); the old token stops working',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'reset-by-token')
      const body = ctx.api.expectStatus(await ctx.api.post('/runners/reset_authentication_token', { json: { token: runner.token } }), 201)
      expect(body.token).not.toBe(runner.token)
      ctx.api.expectError(await ctx.api.post('/runners/verify', { json: { token: runner.token } }), 403, { message: '403 Forbidden' })
      ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token: body.token } }), 200)
    },
  },
  {
    id: 'reset-by-token.unknown-token',
    endpoint: RESET,
    title: 'answers 403 for an unknown token and 400 without one',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners/reset_authentication_token', { json: { token: `nope-${ctx.world.runId}` } }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.post('/runners/reset_authentication_token', { json: {} }), 400, { error: 'token is missing' })
    },
  },
  {
    id: 'delete-by-token.ok',
    endpoint: DELETE,
    title: 'deletes a runner by its authentication token (204); the runner is gone',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'delete-by-token')
      await contact(ctx, runner)
      ctx.api.expectStatus(await ctx.api.del('/runners', { json: { token: runner.token } }), 204)
      ctx.api.expectError(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 404, { message: '404 Not found' })
    },
  },
  {
    id: 'delete-by-token.errors',
    endpoint: DELETE,
    title: 'answers 403 for an unknown token and 400 without one',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.del('/runners', { json: { token: `nope-${ctx.world.runId}` } }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.del('/runners', { json: {} }), 400, { error: 'token is missing' })
    },
  },
  {
    id: 'delete-by-token.precondition',
    endpoint: DELETE,
    title: 'answers 412 when If-Unmodified-Since is older than the runner, and keeps it',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'delete-by-token-412')
      const res = await ctx.api.del('/runners', { json: { token: runner.token }, headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } })
      ctx.api.expectError(res, 412, { message: '412 Precondition Failed' })
      ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
    },
  },
]
