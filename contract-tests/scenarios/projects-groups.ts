/** @module Scenarios of the project and group runner endpoints: lists, enable/disable in a project, registration-token resets. */
import { expect } from 'vitest'
import { MISSING_ID, registerRunner, runTag, twoProjectRunner } from '../lib/runners.js'
import { UNAUTHORIZED, allAliasScenario, ids, registrationResetRefusedScenario, registrationResetScenario } from '../lib/shared-scenarios.js'
import type { Scenario } from '../lib/types.js'

const MISSING_PROJECT = { message: '404 Project Not Found' }
const MISSING_GROUP = { message: '404 Group Not Found' }

export const projectGroupScenarios: Scenario[] = [
  {
    id: 'project-list.ok',
    endpoint: 'GET /projects/:id/runners',
    title: 'lists the project\'s runners and its group\'s runners to a maintainer (200), by id and by URL-encoded path',
    async run(ctx) {
      const p = await registerRunner(ctx, 'project', 'project-list')
      const g = await registerRunner(ctx, 'group', 'project-list-group')
      const token = ctx.world.tokens.maintainer
      const query = { tag_list: runTag(ctx), per_page: 100 }
      const byId = ctx.api.expectStatus(await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token, query }), 200)
      expect(ids(byId)).toEqual(expect.arrayContaining([p.id, g.id]))
      const byPath = ctx.api.expectStatus(await ctx.api.get(`/projects/${encodeURIComponent(ctx.world.project.path)}/runners`, { token, query }), 200)
      expect(ids(byPath)).toEqual(ids(byId))
      const typed = ctx.api.expectStatus(await ctx.api.get(`/projects/${ctx.world.project.id}/runners`, { token, query: { ...query, type: 'project_type' } }), 200)
      expect(ids(typed)).toContain(p.id)
      expect(ids(typed)).not.toContain(g.id)
    },
  },
  allAliasScenario('project'),
  {
    id: 'project-list.errors',
    endpoint: 'GET /projects/:id/runners',
    title: 'answers 403 to a reporter, 404 Project Not Found to an outsider and for an unknown project, 400 for a bad type',
    async run(ctx) {
      const path = `/projects/${ctx.world.project.id}/runners`
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.outsider }), 404, MISSING_PROJECT)
      ctx.api.expectError(await ctx.api.get(`/projects/${MISSING_ID}/runners`, { token: ctx.world.tokens.admin }), 404, MISSING_PROJECT)
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.maintainer, query: { type: 'bogus' } }), 400, { error: 'type does not have a valid value' })
      ctx.api.expectError(await ctx.api.get(path), 401, UNAUTHORIZED)
    },
  },
  {
    id: 'project-enable.ok',
    endpoint: 'POST /projects/:id/runners',
    title: 'enables an owned project runner in another maintained project (201 runner); the runner then lists both projects',
    async run(ctx) {
      const runner = await registerRunner(ctx, 'project', 'enable')
      const res = await ctx.api.post(`/projects/${ctx.world.otherProject.id}/runners`, { token: ctx.world.tokens.maintainer, json: { runner_id: runner.id } })
      expect(ctx.api.expectStatus(res, 201)).toMatchObject({ id: runner.id, runner_type: 'project_type', is_shared: false })
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect(ids(details.projects).sort((a, b) => a - b)).toEqual([ctx.world.project.id, ctx.world.otherProject.id].sort((a, b) => a - b))
    },
  },
  {
    id: 'project-enable.refused',
    endpoint: 'POST /projects/:id/runners',
    title: 'answers 403 for a group runner, a locked runner and a reporter; 400 without runner_id or when already enabled',
    async run(ctx) {
      const token = ctx.world.tokens.maintainer
      const path = `/projects/${ctx.world.otherProject.id}/runners`
      const group = await registerRunner(ctx, 'group', 'enable-group')
      ctx.api.expectError(await ctx.api.post(path, { token, json: { runner_id: group.id } }), 403, { message: '403 Forbidden - Runner is a group runner' })
      const locked = await registerRunner(ctx, 'project', 'enable-locked', { locked: true })
      ctx.api.expectError(await ctx.api.post(path, { token, json: { runner_id: locked.id } }), 403, { message: '403 Forbidden - Runner is locked' })
      const plain = await registerRunner(ctx, 'project', 'enable-reporter')
      ctx.api.expectError(await ctx.api.post(path, { token: ctx.world.tokens.reporter, json: { runner_id: plain.id } }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.post(path, { token, json: {} }), 400, { error: 'runner_id is missing' })
      const again = await ctx.api.post(`/projects/${ctx.world.project.id}/runners`, { token, json: { runner_id: plain.id } })
      // The exact model message is not known for 15.x (gitlab-behaviour.md §9): the shape is {message: {attribute: [...]}}.
      ctx.api.expectStatus(again, 400)
      expect(again.body.message).toEqual(expect.any(Object))
      expect(Object.values(again.body.message).flat().length).toBeGreaterThan(0)
    },
  },
  {
    id: 'project-enable.missing',
    endpoint: 'POST /projects/:id/runners',
    title: 'answers 404 Not found for an unknown runner, 404 Project Not Found for an unknown project, 401 anonymously',
    async run(ctx) {
      const token = ctx.world.tokens.maintainer
      ctx.api.expectError(await ctx.api.post(`/projects/${ctx.world.otherProject.id}/runners`, { token, json: { runner_id: MISSING_ID } }), 404, { message: '404 Not found' })
      ctx.api.expectError(await ctx.api.post(`/projects/${MISSING_ID}/runners`, { token: ctx.world.tokens.admin, json: { runner_id: 1 } }), 404, MISSING_PROJECT)
      ctx.api.expectError(await ctx.api.post(`/projects/${ctx.world.project.id}/runners`, { json: { runner_id: 1 } }), 401, UNAUTHORIZED)
    },
  },
  {
    id: 'project-disable.ok',
    endpoint: 'DELETE /projects/:id/runners/:runner_id',
    title: 'disables a two-project runner in one project (204); it keeps the other',
    async run(ctx) {
      const runner = await twoProjectRunner(ctx, 'disable')
      ctx.api.expectStatus(await ctx.api.del(`/projects/${ctx.world.otherProject.id}/runners/${runner.id}`, { token: ctx.world.tokens.maintainer }), 204)
      const details = ctx.api.expectStatus(await ctx.api.get(`/runners/${runner.id}`, { token: ctx.world.tokens.admin }), 200)
      expect(ids(details.projects)).toEqual([ctx.world.project.id])
    },
  },
  {
    id: 'project-disable.refused',
    endpoint: 'DELETE /projects/:id/runners/:runner_id',
    title: 'answers 403 for the only project, 404 Runner Not Found when not enabled, 403 to a reporter, 412 for an old If-Unmodified-Since, 401 anonymously',
    async run(ctx) {
      const token = ctx.world.tokens.maintainer
      const single = await registerRunner(ctx, 'project', 'disable-single')
      ctx.api.expectError(await ctx.api.del(`/projects/${ctx.world.project.id}/runners/${single.id}`, { token }), 403, {
        message: '403 Forbidden - Only one project associated with the runner. Please remove the runner instead',
      })
      ctx.api.expectError(await ctx.api.del(`/projects/${ctx.world.otherProject.id}/runners/${single.id}`, { token }), 404, { message: '404 Runner Not Found' })
      const two = await twoProjectRunner(ctx, 'disable-refused')
      ctx.api.expectError(await ctx.api.del(`/projects/${ctx.world.otherProject.id}/runners/${two.id}`, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden' })
      const old = await ctx.api.del(`/projects/${ctx.world.otherProject.id}/runners/${two.id}`, { token, headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 2015 00:00:00 GMT' } })
      ctx.api.expectError(old, 412, { message: '412 Precondition Failed' })
      ctx.api.expectError(await ctx.api.del(`/projects/${ctx.world.otherProject.id}/runners/${two.id}`), 401, UNAUTHORIZED)
    },
  },
  registrationResetScenario({
    id: 'project-registration-reset.ok',
    endpoint: 'POST /projects/:id/runners/reset_registration_token',
    title: 'resets the project registration token for a maintainer (201 {token}); the new one registers, the old one does not',
    kind: 'project',
    path: (ctx) => `/projects/${ctx.world.project.id}/runners/reset_registration_token`,
    token: (ctx) => ctx.world.tokens.maintainer,
  }),
  registrationResetRefusedScenario('project'),
  {
    id: 'group-list.ok',
    endpoint: 'GET /groups/:id/runners',
    title: 'lists the group\'s runners to its owner (200), by id and by path, filtered by type',
    async run(ctx) {
      const g = await registerRunner(ctx, 'group', 'group-list')
      const token = ctx.world.tokens.groupOwner
      const query = { tag_list: runTag(ctx), per_page: 100 }
      const byId = ctx.api.expectStatus(await ctx.api.get(`/groups/${ctx.world.group.id}/runners`, { token, query }), 200)
      expect(ids(byId)).toContain(g.id)
      expect(byId.every((r: { runner_type: string }) => r.runner_type !== 'project_type')).toBe(true)
      const byPath = ctx.api.expectStatus(await ctx.api.get(`/groups/${encodeURIComponent(ctx.world.group.path)}/runners`, { token, query }), 200)
      expect(ids(byPath)).toEqual(ids(byId))
      const projects = ctx.api.expectStatus(await ctx.api.get(`/groups/${ctx.world.group.id}/runners`, { token, query: { ...query, type: 'project_type' } }), 200)
      expect(projects).toEqual([])
    },
  },
  allAliasScenario('group'),
  {
    id: 'group-list.errors',
    endpoint: 'GET /groups/:id/runners',
    title: 'answers 403 to a reporter, 404 Group Not Found to an outsider and for an unknown group, 400 for a bad status, 401 anonymously',
    async run(ctx) {
      const path = `/groups/${ctx.world.group.id}/runners`
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.outsider }), 404, MISSING_GROUP)
      ctx.api.expectError(await ctx.api.get(`/groups/${MISSING_ID}/runners`, { token: ctx.world.tokens.admin }), 404, MISSING_GROUP)
      ctx.api.expectError(await ctx.api.get(path, { token: ctx.world.tokens.groupOwner, query: { status: 'bogus' } }), 400, { error: 'status does not have a valid value' })
      ctx.api.expectError(await ctx.api.get(path), 401, UNAUTHORIZED)
    },
  },
  registrationResetScenario({
    id: 'group-registration-reset.ok',
    endpoint: 'POST /groups/:id/runners/reset_registration_token',
    title: 'resets the group registration token for its owner (201 {token}); the new one registers, the old one does not',
    kind: 'group',
    path: (ctx) => `/groups/${ctx.world.group.id}/runners/reset_registration_token`,
    token: (ctx) => ctx.world.tokens.groupOwner,
  }),
  registrationResetRefusedScenario('group'),
]
