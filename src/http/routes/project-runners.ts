/** @module Project runner endpoints: GET/POST /projects/:id/runners (and the documented /runners/all alias), DELETE /projects/:id/runners/:runner_id, POST /projects/:id/runners/reset_registration_token. */
import { Hono, type Context } from 'hono'
import { authorizeProjectMaintainer, findVisibleProject } from '../../domain/permissions.js'
import { resetProjectRegistrationToken } from '../../domain/runner-tokens.js'
import { disableRunnerInProject, enableRunnerInProject, listProjectRunners } from '../../domain/runners.js'
import type { Project } from '../../domain/types.js'
import { requireUser } from '../auth.js'
import { entityContext, ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { runnerEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { p, parseParams, pathInt, queryParams, readParams } from '../params.js'
import { parseRunnerFilter, sendRunnerPage } from './runners.js'

export const projectRunnerRoutes = new Hono<AppEnv>()

/** The project from `:id` (numeric or URL-encoded full path), visible to the caller, who must be Maintainer+. */
function maintainedProject(c: Context<AppEnv>): Project {
  const store = storeOf(c)
  const actor = requireActor(c)
  const project = findVisibleProject(store, actor, c.req.param('id') ?? '')
  authorizeProjectMaintainer(store, actor, project)
  return project
}

function listRunners(c: Context<AppEnv>) {
  const project = maintainedProject(c)
  const raw = queryParams(c)
  const runners = listProjectRunners(storeOf(c), project, parseRunnerFilter(raw, true, storeOf(c).profile))
  return sendRunnerPage(c, runners, raw, { id: c.req.param('id') })
}

projectRunnerRoutes.get('/projects/:id/runners', requireUser, listRunners)
// Documented (runners-api.md) though 15.11 has no such route: the same list.
projectRunnerRoutes.get('/projects/:id/runners/all', requireUser, listRunners)

projectRunnerRoutes.post('/projects/:id/runners/reset_registration_token', requireUser, (c) => {
  const project = maintainedProject(c)
  return c.json({ token: resetProjectRegistrationToken(storeOf(c), project) }, 201)
})

projectRunnerRoutes.post('/projects/:id/runners', requireUser, async (c) => {
  // The project check runs in a `before` block in GitLab, so it precedes parameter validation.
  const project = maintainedProject(c)
  const { runner_id } = parseParams(await readParams(c), { runner_id: p.int({ required: true }) })
  const runner = enableRunnerInProject(storeOf(c), requireActor(c), project, runner_id as number)
  return c.json(runnerEntity(runner, entityContext(c)), 201)
})

projectRunnerRoutes.delete('/projects/:id/runners/:runner_id', requireUser, (c) => {
  const project = maintainedProject(c)
  disableRunnerInProject(storeOf(c), project, pathInt(c, 'runner_id'), ifUnmodifiedSince(c))
  return c.body(null, 204)
})
