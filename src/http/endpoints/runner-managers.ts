/**
 * @module Runner managers: DELETE /runners/managers (runner token + system_id, 16.0+; before, the path is
 * DELETE /runners/:id's) and GET /runners/:id/managers (user token, 17.1+), and GET /runners/:id/projects (18.x).
 * Listed before the /runners/:id entries: the first match wins.
 */
import { listRunnerManagers } from '../../domain/managers.js'
import { deleteManagerByToken } from '../../domain/runner-tokens.js'
import { listRunnerProjects } from '../../domain/runners.js'
import { RUNNER_READ, RUNNER_TOKEN } from '../auth.js'
import { entityContext, ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { basicProjectEntity, runnerManagerEntity } from '../entities.js'
import { PAGE_SPECS, sendPage } from '../pagination.js'
import { p } from '../params.js'
import { USER_ERRORS } from './contracts.js'

/** Static `/runners/managers` before `/runners/:id`. */
export const runnerManagerEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'DELETE',
    path: '/runners/managers',
    auth: RUNNER_TOKEN,
    params: { token: p.string({ required: true }), system_id: p.string({ required: true }) },
    success: { status: 204, schema: null },
    errors: [400, 403, 404, 412, 413],
    since: '16.0',
    handle: (c, { params }) => {
      deleteManagerByToken(storeOf(c), params.token, params.system_id, ifUnmodifiedSince(c))
      return c.body(null, 204)
    },
  }),
]

/** `/runners/:id/…` entries (after the static `/runners/…` ones). */
export const runnerIdSubresourceEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/runners/:id/managers',
    auth: RUNNER_READ,
    params: { id: p.int({ in: 'path' }) },
    // A plain array: GitLab does not paginate this list.
    success: { status: 200, schema: 'runner-manager', array: true },
    errors: USER_ERRORS,
    since: '17.1',
    handle: (c, { params }) => {
      const store = storeOf(c)
      return c.json(listRunnerManagers(store, requireActor(c), params.id).map((m) => runnerManagerEntity(m, store)))
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/runners/:id/projects',
    auth: RUNNER_READ,
    params: { id: p.int({ in: 'path' }), ...PAGE_SPECS },
    success: { status: 200, schema: 'project-simple', array: true },
    errors: USER_ERRORS,
    since: '18.0',
    handle: (c, { params, raw }) => {
      const projects = listRunnerProjects(storeOf(c), requireActor(c), params.id)
      const ctx = entityContext(c)
      return sendPage(c, projects, raw, (project) => basicProjectEntity(project, ctx), { id: params.id })
    },
  }),
]
