/**
 * @module Scenarios of what changes between GitLab versions: the registration-token switch (410 when
 * disallowed, 403 on the token resets from 17.0), the unknown-token message (16.2+), the stale window (7 days
 * from 17.1), ip_address (null from 17.0), maintenance_note (16.10+) and the runner entities' field lists.
 */
import { expect } from 'vitest'
import { contact, registerRunner } from '../lib/runners.js'
import type { Scenario, ScenarioContext } from '../lib/types.js'

const REGISTER = 'POST /runners'
const DETAILS = 'GET /runners/:id'
const GONE = { message: '410 Gone - runner registration disallowed' }

/** Run `body` with registration tokens disallowed, then allow them again (the contract world allows them). */
async function withRegistrationTokensDisallowed(ctx: ScenarioContext, body: () => Promise<void>): Promise<void> {
  const set = ctx.world.setRegistrationTokensAllowed
  if (!set) throw new Error('the target cannot switch allow_runner_registration_token')
  await set(false)
  try {
    await body()
  } finally {
    await set(true)
  }
}

const RUNNER_KEYS = ['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'status']
const RUNNER_KEYS_18 = ['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'created_at', 'status', 'job_execution_status']
const DETAIL_KEYS = ['tag_list', 'run_untagged', 'locked', 'maximum_timeout', 'access_level', 'version', 'revision', 'platform', 'architecture', 'contacted_at']

/** The keys of a registered (so creator-less) project runner's details and of its list item. */
async function fieldLists(ctx: ScenarioContext, label: string): Promise<{ details: string[]; item: string[] }> {
  const runner = await registerRunner(ctx, 'project', label)
  const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
  const list = ctx.api.expectStatus(await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token: ctx.world.tokens.maintainer, query: { per_page: 100 } }), 200)
  const item = list.find((r: { id: number }) => r.id === runner.id)
  return { details: Object.keys(details), item: Object.keys(item) }
}

export const versionScenarios: Scenario[] = [
  {
    id: 'register.unknown-token-invalid',
    endpoint: REGISTER,
    title: 'answers 403 `invalid token supplied` for an unknown registration token',
    since: '16.2',
    async run(ctx) {
      ctx.api.expectError(await ctx.api.post('/runners', { json: { token: `nope-${ctx.world.runId}` } }), 403, { message: '403 Forbidden - invalid token supplied' })
    },
  },
  {
    id: 'register.disallowed',
    endpoint: REGISTER,
    title: 'answers 410 for any registration token, known or not, while the instance disallows registration tokens; 201 once allowed again',
    since: '16.0',
    requires: ['instanceSettings'],
    async run(ctx) {
      await withRegistrationTokensDisallowed(ctx, async () => {
        ctx.api.expectError(await ctx.api.post('/runners', { json: { token: ctx.world.registration.project } }), 410, GONE)
        ctx.api.expectError(await ctx.api.post('/runners', { json: { token: `nope-${ctx.world.runId}` } }), 410, GONE)
      })
      await registerRunner(ctx, 'project', 'allowed-again')
    },
  },
  {
    id: 'reset-registration-token.disallowed',
    endpoint: 'POST /projects/:id/runners/reset_registration_token',
    title: 'refuses to reset a registration token (403) while registration tokens are disallowed',
    since: '17.0',
    requires: ['instanceSettings'],
    async run(ctx) {
      await withRegistrationTokensDisallowed(ctx, async () => {
        const res = await ctx.api.post(`/projects/${ctx.world.project.id}/runners/reset_registration_token`, { token: ctx.world.tokens.maintainer })
        ctx.api.expectError(res, 403, { message: '403 Forbidden' })
      })
    },
  },
  {
    id: 'stale.seven-days',
    endpoint: DETAILS,
    title: 'a runner last contacted 8 days ago is stale (status and the stale filter)',
    since: '17.1',
    requires: ['clock'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'stale-7d')
      await contact(ctx, runner)
      const restore = await ctx.world.advanceClock!(8 * 86_400)
      try {
        const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
        expect(details.status).toBe('stale')
        const stale = ctx.api.expectStatus(await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token: ctx.world.tokens.maintainer, query: { status: 'stale', per_page: 100 } }), 200)
        expect(stale.map((r: { id: number }) => r.id)).toContain(runner.id)
      } finally {
        await restore()
      }
    },
  },
  {
    id: 'stale.three-months',
    endpoint: DETAILS,
    title: 'a runner last contacted 8 days ago is offline, not stale (the window is 3 months)',
    until: '17.1',
    requires: ['clock'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'offline-8d')
      await contact(ctx, runner)
      const restore = await ctx.world.advanceClock!(8 * 86_400)
      try {
        const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
        expect(details.status).toBe('offline')
      } finally {
        await restore()
      }
    },
  },
  {
    id: 'ip-address.null',
    endpoint: DETAILS,
    title: 'ip_address is null on runner details and list items, even after the runner made contact',
    since: '17.0',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'ip-null')
      await contact(ctx, runner)
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect(details.ip_address).toBeNull()
      const list = ctx.api.expectStatus(await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token: ctx.world.tokens.maintainer, query: { per_page: 100 } }), 200)
      expect(list.find((r: { id: number }) => r.id === runner.id).ip_address).toBeNull()
    },
  },
  {
    id: 'maintenance-note.update',
    endpoint: 'PUT /runners/:id',
    title: 'PUT takes maintenance_note alone (it counts in the at-least-one group) and details show it to the maintainer',
    since: '16.10',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'note')
      const body = ctx.api.expectStatus(await ctx.api.put(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainer, json: { maintenance_note: 'rack 7' } }), 200)
      expect(body.maintenance_note).toBe('rack 7')
    },
  },
  {
    id: 'maintenance-note.absent',
    endpoint: 'PUT /runners/:id',
    title: 'PUT with only maintenance_note is refused (400 at least one parameter) and details have no maintenance_note',
    until: '16.10',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'no-note')
      const res = await ctx.api.put(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainer, json: { maintenance_note: 'rack 7' } })
      ctx.api.expectError(res, 400, { error: 'description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided' })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect('maintenance_note' in details).toBe(false)
    },
  },
  {
    id: 'fields.before-16.10',
    endpoint: DETAILS,
    title: 'runner details and list items carry the 15.11 fields, in order',
    until: '16.10',
    async run(ctx) {
      const { details, item } = await fieldLists(ctx, 'fields-15')
      expect(item).toEqual(RUNNER_KEYS)
      expect(details).toEqual([...RUNNER_KEYS, ...DETAIL_KEYS, 'projects', 'groups'])
    },
  },
  {
    id: 'fields.16.10-to-17',
    endpoint: DETAILS,
    title: 'runner details add maintenance_note after contacted_at; list items unchanged',
    since: '16.10',
    until: '18.0',
    async run(ctx) {
      const { details, item } = await fieldLists(ctx, 'fields-16')
      expect(item).toEqual(RUNNER_KEYS)
      expect(details).toEqual([...RUNNER_KEYS, ...DETAIL_KEYS, 'maintenance_note', 'projects', 'groups'])
    },
  },
  {
    id: 'fields.18',
    endpoint: DETAILS,
    title: 'runners add created_at before status and job_execution_status after it (no created_by for a registered runner)',
    since: '18.0',
    async run(ctx) {
      const { details, item } = await fieldLists(ctx, 'fields-18')
      expect(item).toEqual(RUNNER_KEYS_18)
      expect(details).toEqual([...RUNNER_KEYS_18, ...DETAIL_KEYS, 'maintenance_note', 'projects', 'groups'])
    },
  },
  {
    id: 'details.include-projects',
    endpoint: DETAILS,
    title: 'include_projects=false leaves the projects key out; groups stay',
    since: '18.6',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'no-projects')
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin, query: { include_projects: false } }), 200)
      expect('projects' in details).toBe(false)
      expect(details.groups).toEqual([])
    },
  },
  {
    id: 'scope.manage-runner',
    endpoint: DETAILS,
    title: 'a manage_runner token reads and updates a runner its user maintains, but not the runner lists (403 insufficient_scope)',
    since: '17.1',
    requires: ['manageRunnerToken'],
    async run(ctx) {
      const token = ctx.world.tokens.maintainerManageRunner!
      const runner = await registerRunner(ctx, 'project', 'manage-runner')
      ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token }), 200)
      ctx.api.expectStatus(await ctx.api.put(`/runners/${runner.id}`, { token, json: { description: `contract-${ctx.world.runId}-managed` } }), 200)
      const list = await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token })
      ctx.api.expectStatus(list, 403)
      expect(list.body.error).toBe('insufficient_scope')
    },
  },
  {
    id: 'scope.manage-runner-unknown',
    endpoint: DETAILS,
    title: 'before 17.1 a manage_runner token grants nothing (403 insufficient_scope naming api and read_api)',
    until: '17.1',
    requires: ['manageRunnerToken'],
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'manage-runner-old')
      const res = await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.maintainerManageRunner! })
      ctx.api.expectError(res, 403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api read_api' })
    },
  },
]
