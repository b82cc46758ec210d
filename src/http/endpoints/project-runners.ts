/** @module Project runner endpoints: GET/POST /projects/:id/runners (and the documented /runners/all alias), DELETE /projects/:id/runners/:runner_id, POST /projects/:id/runners/reset_registration_token. */
import type { Context } from 'hono'
import { findMaintainedProject } from '../../domain/permissions.js'
import { resetProjectRegistrationToken } from '../../domain/runner-tokens.js'
import { disableRunnerInProject, enableRunnerInProject, listProjectRunners } from '../../domain/runners.js'
import type { Project } from '../../domain/types.js'
import { USER_READ, USER_WRITE } from '../auth.js'
import { entityContext, ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint, type EndpointInput } from '../endpoint.js'
import { jsonText, runnerText } from '../entity-text.js'
import type { AppEnv } from '../env.js'
import { p } from '../params.js'
import { runnerFilterOf, SCOPED_RUNNER_FILTER_SPECS, sendRunnerPage } from '../runner-lists.js'
import { RUNNER_LIST, USER_ERRORS } from './contracts.js'

/**
 * The project from `:id` (numeric or URL-encoded full path), visible to the caller, who must be
 * Maintainer+. GitLab checks it in a `before` block, so it precedes parameter validation.
 */
const maintainedProject = (c: Context<AppEnv>): Project => findMaintainedProject(storeOf(c), requireActor(c), c.req.param('id') ?? '')

function listRunners(c: Context<AppEnv>, { params, raw, before: project }: EndpointInput<typeof SCOPED_RUNNER_FILTER_SPECS, Project>) {
  const runners = listProjectRunners(storeOf(c), project, runnerFilterOf(params, raw))
  return sendRunnerPage(c, () => runners, raw, { id: c.req.param('id') })
}

export const projectRunnerEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/projects/:id/runners',
    auth: USER_READ,
    before: maintainedProject,
    params: SCOPED_RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    handle: listRunners,
  }),
  // Documented (runners-api.md) though 15.11 has no such route: the same list.
  defineEndpoint({
    method: 'GET',
    path: '/projects/:id/runners/all',
    auth: USER_READ,
    before: maintainedProject,
    params: SCOPED_RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    handle: listRunners,
  }),
  defineEndpoint({
    method: 'POST',
    path: '/projects/:id/runners/reset_registration_token',
    auth: USER_WRITE,
    before: maintainedProject,
    success: { status: 201, schema: 'registration-token-reset' },
    errors: USER_ERRORS,
    handle: (c, { before: project }) => c.json({ token: resetProjectRegistrationToken(storeOf(c), project) }, 201),
  }),
  defineEndpoint({
    method: 'POST',
    path: '/projects/:id/runners',
    auth: USER_WRITE,
    before: maintainedProject,
    params: { runner_id: p.int({ required: true }) },
    success: { status: 201, schema: 'runner' },
    errors: USER_ERRORS,
    handle: (c, { params, before: project }) => {
      // A blank runner_id reaches GitLab as nil: no such runner (404).
      const runner = enableRunnerInProject(storeOf(c), requireActor(c), project, params.runner_id)
      return jsonText(c, runnerText(runner, entityContext(c)), 201)
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/projects/:id/runners/:runner_id',
    auth: USER_WRITE,
    before: maintainedProject,
    params: { runner_id: p.int({ in: 'path' }) },
    success: { status: 204, schema: null },
    errors: [...USER_ERRORS, 412],
    handle: (c, { params, before: project }) => {
      disableRunnerInProject(storeOf(c), project, params.runner_id, ifUnmodifiedSince(c))
      return c.body(null, 204)
    },
  }),
]
