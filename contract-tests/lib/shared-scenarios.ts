/** @module Scenario pieces several endpoint files share: id lists, the 401 body, the documented /runners/all alias and registration-token resets. */
import { expect } from 'vitest'
import { registerRunner, runTag } from './runners.js'
import type { Scenario, ScenarioContext } from './types.js'
import { unknownRegistrationTokenBody } from './version-answers.js'

export const ids = (list: Array<{ id: number }>) => list.map((r) => r.id)
export const UNAUTHORIZED = { message: '401 Unauthorized' }

/** GET /{projects|groups}/:id/runners/all answers the same list as the route without /all (documented, absent in 15.11). */
export function allAliasScenario(kind: 'project' | 'group'): Scenario {
  return {
    id: `${kind}-list.all-alias`,
    endpoint: `GET /${kind}s/:id/runners/all`,
    title: 'answers the documented /runners/all alias with the same list (200)',
    async run(ctx) {
      const token = kind === 'project' ? ctx.world.tokens.maintainer : ctx.world.tokens.groupOwner
      const id = kind === 'project' ? ctx.world.project.id : ctx.world.group.id
      const query = { tag_list: runTag(ctx), per_page: 100 }
      const plain = ctx.api.expectStatus(await ctx.api.get(`/${kind}s/${id}/runners`, { token, query }), 200)
      const all = ctx.api.expectStatus(await ctx.api.get(`/${kind}s/${id}/runners/all`, { token, query }), 200)
      expect(ids(all)).toEqual(ids(plain))
    },
  }
}

/**
 * A registration-token reset answers 201 `{token}` only; the old token then gets 403 on POST /runners and
 * (for a project or group) the new one registers.
 */
export function registrationResetScenario(options: {
  id: string
  endpoint: string
  title: string
  kind: 'instance' | 'project' | 'group'
  path: (ctx: ScenarioContext) => string
  token: (ctx: ScenarioContext) => string
  requires?: Scenario['requires']
}): Scenario {
  const { kind } = options
  return {
    id: options.id,
    endpoint: options.endpoint,
    title: options.title,
    ...(options.requires ? { requires: options.requires } : {}),
    async run(ctx) {
      const old = ctx.world.registration[kind]
      const body = ctx.api.expectStatus(await ctx.api.post(options.path(ctx), { token: options.token(ctx) }), 201)
      expect(Object.keys(body)).toEqual(['token'])
      expect(body.token).not.toBe(old)
      ctx.world.registration[kind] = body.token
      ctx.api.expectError(await ctx.api.post('/runners', { json: { token: old } }), 403, unknownRegistrationTokenBody(ctx))
      if (kind !== 'instance') await registerRunner(ctx, kind, `after-${kind}-reset`)
    },
  }
}

/** A registration-token reset refused: 403 to a reporter, 404 `<Project|Group> Not Found` to an outsider, 401 anonymously. */
export function registrationResetRefusedScenario(kind: 'project' | 'group'): Scenario {
  const Resource = kind === 'project' ? 'Project' : 'Group'
  return {
    id: `${kind}-registration-reset.refused`,
    endpoint: `POST /${kind}s/:id/runners/reset_registration_token`,
    title: `answers 403 to a reporter, 404 ${Resource} Not Found to an outsider, 401 anonymously`,
    async run(ctx) {
      const id = kind === 'project' ? ctx.world.project.id : ctx.world.group.id
      const path = `/${kind}s/${id}/runners/reset_registration_token`
      ctx.api.expectError(await ctx.api.post(path, { token: ctx.world.tokens.reporter }), 403, { message: '403 Forbidden' })
      ctx.api.expectError(await ctx.api.post(path, { token: ctx.world.tokens.outsider }), 404, { message: `404 ${Resource} Not Found` })
      ctx.api.expectError(await ctx.api.post(path), 401, UNAUTHORIZED)
    },
  }
}
