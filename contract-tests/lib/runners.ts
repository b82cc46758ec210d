/** @module Runners the scenarios create: registered through POST /runners with the target's registration tokens, named and tagged with the run id, tracked for clean-up. */
import { expect } from 'vitest'
import type { ScenarioContext } from './types.js'

export interface CreatedRunner {
  id: number
  token: string
  description: string
}

/** The tag every runner of this run carries (tags are case-sensitive: lower case only). */
export const runTag = (ctx: ScenarioContext) => `contract-${ctx.world.runId}`

/** Register a runner of the given kind (instance needs the `instanceRunner` capability). */
export async function registerRunner(
  ctx: ScenarioContext,
  kind: 'project' | 'group' | 'instance',
  label: string,
  params: Record<string, unknown> = {},
): Promise<CreatedRunner> {
  const token = ctx.world.registration[kind]
  if (!token) throw new Error(`no ${kind} registration token on this target`)
  const description = `contract-${ctx.world.runId}-${label}`
  const res = await ctx.api.post('/runners', {
    json: { token, description, tag_list: [runTag(ctx), ...((params.tag_list as string[] | undefined) ?? [])], ...withoutTags(params) },
  })
  const body = ctx.api.expectStatus(res, 201)
  ctx.world.track(body.id)
  expect(typeof body.token).toBe('string')
  return { id: body.id, token: body.token, description }
}

function withoutTags(params: Record<string, unknown>): Record<string, unknown> {
  const { tag_list: _ignored, ...rest } = params
  return rest
}

/** A project runner that also runs for `otherProject` (enabled by the maintainer, who maintains both). */
export async function twoProjectRunner(ctx: ScenarioContext, label: string): Promise<CreatedRunner> {
  const runner = await registerRunner(ctx, 'project', label)
  const res = await ctx.api.post(`/projects/${ctx.world.otherProject.id}/runners`, { token: ctx.world.tokens.maintainer, json: { runner_id: runner.id } })
  ctx.api.expectStatus(res, 201)
  return runner
}

/** Mark the runner as contacted now (verify is a heartbeat). */
export async function contact(ctx: ScenarioContext, runner: CreatedRunner): Promise<void> {
  ctx.api.expectStatus(await ctx.api.post('/runners/verify', { json: { token: runner.token } }), 200)
}

/** An id no runner has. */
export const MISSING_ID = 987654321
