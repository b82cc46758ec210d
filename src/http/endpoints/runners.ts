/** @module User-token runner endpoints: GET /runners, /runners/all, /runners/:id, /runners/:id/jobs; PUT and DELETE /runners/:id; POST /runners/:id/reset_authentication_token; POST /runners/reset_registration_token. */
import { answerShowsRunner } from '../kept-answers.js'
import { resetAuthenticationTokenById, resetInstanceRegistrationToken } from '../../domain/runner-tokens.js'
import { activeFrom, deleteRunner, listAllRunners, listOwnedRunners, listRunnerJobs, showRunner, updateRunner } from '../../domain/runners.js'
import { JOB_STATUSES, RUNNER_ACCESS_LEVELS } from '../../domain/types.js'
import { RUNNER_READ, RUNNER_WRITE, USER_READ, USER_WRITE } from '../auth.js'
import { entityContext, ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { jobEntity, resetAuthTokenEntity } from '../entities.js'
import { jsonText, runnerDetailsText, writtenRunnerDetailsText } from '../entity-text.js'
import { PAGE_SPECS, sendPage } from '../pagination.js'
import { p } from '../params.js'
import { runnerFilterOf, SCOPED_RUNNER_FILTER_SPECS, sendRunnerPage } from '../runner-lists.js'
import { RUNNER_LIST, USER_ERRORS } from './contracts.js'

const ID = { id: p.int({ in: 'path' }) }

/** Static paths before `/runners/:id`: the first match wins. */
export const runnerEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/runners',
    auth: USER_READ,
    params: SCOPED_RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    keepAnswers: true,
    handle: (c, { params, raw }) => {
      const filter = runnerFilterOf(params, raw)
      const store = storeOf(c)
      const actor = requireActor(c)
      return sendRunnerPage(c, () => listOwnedRunners(store, actor, filter), raw, undefined, filter)
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/runners/all',
    auth: USER_READ,
    params: SCOPED_RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    keepAnswers: true,
    handle: (c, { params, raw }) => {
      const filter = runnerFilterOf(params, raw)
      const store = storeOf(c)
      const actor = requireActor(c)
      return sendRunnerPage(c, () => listAllRunners(store, actor, filter), raw, undefined, filter)
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/runners/reset_registration_token',
    auth: USER_WRITE,
    success: { status: 201, schema: 'registration-token-reset' },
    errors: USER_ERRORS,
    handle: (c) => c.json({ token: resetInstanceRegistrationToken(storeOf(c), requireActor(c)) }, 201),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/runners/:id',
    auth: RUNNER_READ,
    // include_projects (≈18.6, MR !208298): false leaves the `projects` key out.
    params: { id: p.int({ in: 'path' }), include_projects: p.bool({ since: '18.6' }) },
    success: { status: 200, schema: 'runner-details' },
    errors: USER_ERRORS,
    keepAnswers: true,
    handle: (c, { params }) => {
      const store = storeOf(c)
      const runner = showRunner(store, requireActor(c), params.id)
      answerShowsRunner(c, store, runner)
      return jsonText(c, runnerDetailsText(runner, entityContext(c), { includeProjects: params.include_projects !== false }))
    },
  }),
  defineEndpoint({
    method: 'PUT',
    path: '/runners/:id',
    auth: RUNNER_WRITE,
    params: {
      id: p.int({ in: 'path' }),
      description: p.string(),
      active: p.bool(),
      paused: p.bool(),
      tag_list: p.tagList(),
      run_untagged: p.bool(),
      locked: p.bool(),
      access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
      maximum_timeout: p.int(),
      // 16.10+; before, Grape drops it as undeclared (and the at-least-one group does not name it).
      maintenance_note: p.string({ since: '16.10' }),
    },
    rules: {
      mutuallyExclusive: [['active', 'paused']],
      atLeastOneOf: [['description', 'active', 'paused', 'tag_list', 'run_untagged', 'locked', 'access_level', 'maximum_timeout', 'maintenance_note']],
    },
    success: { status: 200, schema: 'runner-details' },
    errors: USER_ERRORS,
    // Its answer is the runner's details as GET /runners/:id shows them to the same caller next.
    keepsReadAnswer: true,
    handle: (c, { params }) => {
      const store = storeOf(c)
      const runner = updateRunner(store, requireActor(c), params.id, {
        description: params.description,
        active: activeFrom(params.active, params.paused),
        tagList: params.tag_list,
        runUntagged: params.run_untagged,
        locked: params.locked,
        accessLevel: params.access_level,
        maximumTimeout: params.maximum_timeout,
        maintenanceNote: params.maintenance_note,
      })
      answerShowsRunner(c, store, runner)
      return jsonText(c, writtenRunnerDetailsText(runner, entityContext(c)))
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/runners/:id',
    auth: RUNNER_WRITE,
    params: ID,
    success: { status: 204, schema: null },
    errors: [...USER_ERRORS, 412],
    handle: (c, { params }) => {
      deleteRunner(storeOf(c), requireActor(c), params.id, ifUnmodifiedSince(c))
      return c.body(null, 204)
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/runners/:id/jobs',
    auth: RUNNER_READ,
    params: {
      id: p.int({ in: 'path' }),
      // 16.9+: only the jobs of one runner manager (before, an unknown parameter).
      system_id: p.string({ since: '16.9' }),
      status: p.string({ values: JOB_STATUSES }),
      order_by: p.string({ values: ['id'] }),
      sort: p.string({ values: ['asc', 'desc'] }),
      ...PAGE_SPECS,
    },
    success: { status: 200, schema: 'runner-job', array: true },
    errors: USER_ERRORS,
    handle: (c, { params, raw }) => {
      // A blank system_id is no filter (`params[:system_id].blank?`).
      const systemId = params.system_id === undefined || params.system_id.trim() === '' ? undefined : params.system_id
      const jobs = listRunnerJobs(storeOf(c), requireActor(c), params.id, { systemId, status: params.status, orderBy: params.order_by, sort: params.sort })
      const ctx = entityContext(c)
      // Filtering by a manager, GitLab's paginator skips the count: no X-Total, X-Total-Pages or rel="last".
      return sendPage(c, jobs, raw, (job) => jobEntity(job, ctx), { id: params.id, sort: params.sort ?? 'desc' }, { withoutCount: systemId !== undefined })
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/runners/:id/reset_authentication_token',
    auth: RUNNER_WRITE,
    params: ID,
    success: { status: 201, schema: 'runner-token-reset' },
    errors: USER_ERRORS,
    handle: (c, { params }) => c.json(resetAuthTokenEntity(resetAuthenticationTokenById(storeOf(c), requireActor(c), params.id)), 201),
  }),
]
