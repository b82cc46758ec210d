/** @module User-token runner endpoints: GET /runners, /runners/all, /runners/:id, /runners/:id/jobs; PUT and DELETE /runners/:id; POST /runners/:id/reset_authentication_token; POST /runners/reset_registration_token. */
import { Hono, type Context } from 'hono'
import { authorizeAdmin } from '../../domain/permissions.js'
import { resetAuthenticationTokenById, resetInstanceRegistrationToken } from '../../domain/runner-tokens.js'
import {
  ALL_SCOPES,
  deleteRunner,
  listAllRunners,
  listOwnedRunners,
  listRunnerJobs,
  showRunner,
  updateRunner,
  type RunnerFilter,
} from '../../domain/runners.js'
import type { VersionProfile } from '../../domain/profile.js'
import { STATUS_FILTERS } from '../../domain/status.js'
import { JOB_STATUSES, RUNNER_ACCESS_LEVELS, RUNNER_TYPES, type Runner } from '../../domain/types.js'
import { requireUser } from '../auth.js'
import { entityContext, ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { jobEntity, resetAuthTokenEntity, runnerDetailsEntity, runnerEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { PAGE_SPECS, sendPage } from '../pagination.js'
import { p, parseParams, pathInt, queryParams, readParams, type RawParams } from '../params.js'

/**
 * The filters every runner list takes, in GitLab's declaration order (so combined errors read the same),
 * then the pagination parameters; `withScope` false for the group list, which has no scope.
 */
// Built once: a per-request `{ ...scopeSpec, type, ... }` literal hits a slow V8 path (see entities.ts).
const BASE_FILTER_SPECS = {
  type: p.string({ values: RUNNER_TYPES }),
  paused: p.bool(),
  status: p.string({ values: STATUS_FILTERS }),
  tag_list: p.tagList(),
}
/** Grape's `regexp: /^[\d+.]+/` (Ruby's `^` matches at any line start): anything else is `version_prefix is invalid`. */
const VERSION_PREFIX = p.string({ check: (v) => (/^[\d+.]/m.test(v) ? undefined : 'is invalid') })
const FILTER_SPECS = { ...BASE_FILTER_SPECS, ...PAGE_SPECS }
const FILTER_SPECS_WITH_PREFIX = { ...BASE_FILTER_SPECS, version_prefix: VERSION_PREFIX, ...PAGE_SPECS }
const SCOPE_SPEC = { scope: p.string({ values: ALL_SCOPES }) }
const FILTER_SPECS_WITH_SCOPE = { ...SCOPE_SPEC, ...FILTER_SPECS }
const FILTER_SPECS_WITH_SCOPE_AND_PREFIX = { ...SCOPE_SPEC, ...FILTER_SPECS_WITH_PREFIX }

/** The list filters; `version_prefix` is declared only where the profile has it (16.6+), so older versions ignore it. */
export function parseRunnerFilter(raw: RawParams, withScope = true, profile?: VersionProfile): RunnerFilter {
  const prefix = profile?.versionPrefixFilter === true
  const specs = withScope ? (prefix ? FILTER_SPECS_WITH_SCOPE_AND_PREFIX : FILTER_SPECS_WITH_SCOPE) : prefix ? FILTER_SPECS_WITH_PREFIX : FILTER_SPECS
  const parsed = parseParams(raw, specs) as {
    scope?: string
    type?: string
    status?: string
    paused?: boolean
    tag_list?: string[]
    version_prefix?: string
  }
  return {
    scope: parsed.scope as RunnerFilter['scope'],
    type: parsed.type as RunnerFilter['type'],
    status: parsed.status as RunnerFilter['status'],
    // `paused=` (blank) reaches GitLab as nil, and `active: !nil` keeps the active runners.
    paused: raw.paused === '' ? false : parsed.paused,
    tagList: parsed.tag_list,
    versionPrefix: parsed.version_prefix,
  }
}

/** One page of runners as Runner entities, with GitLab's pagination headers (every runner list ends here). */
export function sendRunnerPage(c: Context<AppEnv>, runners: Runner[], raw: RawParams, linkParams?: RawParams): Response {
  const ctx = entityContext(c)
  const now = ctx.store.now()
  return sendPage(c, runners, raw, (r) => runnerEntity(r, ctx, now), linkParams)
}

export const runnerRoutes = new Hono<AppEnv>()

runnerRoutes.get('/runners', requireUser, (c) => {
  const raw = queryParams(c)
  return sendRunnerPage(c, listOwnedRunners(storeOf(c), requireActor(c), parseRunnerFilter(raw, true, storeOf(c).profile)), raw)
})

runnerRoutes.get('/runners/all', requireUser, (c) => {
  const raw = queryParams(c)
  const filter = parseRunnerFilter(raw, true, storeOf(c).profile) // parameters first: GitLab's admin check is in the endpoint body
  authorizeAdmin(requireActor(c))
  return sendRunnerPage(c, listAllRunners(storeOf(c), filter), raw)
})

runnerRoutes.post('/runners/reset_registration_token', requireUser, (c) => {
  authorizeAdmin(requireActor(c))
  return c.json({ token: resetInstanceRegistrationToken(storeOf(c)) }, 201)
})

runnerRoutes.get('/runners/:id', requireUser, (c) => {
  const runner = showRunner(storeOf(c), requireActor(c), pathInt(c, 'id'))
  return c.json(runnerDetailsEntity(runner, entityContext(c)))
})

const UPDATABLE = ['description', 'active', 'paused', 'tag_list', 'run_untagged', 'locked', 'access_level', 'maximum_timeout']
const UPDATE_SPECS_WITH_NOTE = {
  id: p.int({ required: true }),
  description: p.string(),
  active: p.bool(),
  paused: p.bool(),
  tag_list: p.tagList(),
  run_untagged: p.bool(),
  locked: p.bool(),
  access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
  maximum_timeout: p.int(),
  // 16.10+: maintenance_note is accepted and joins the at-least-one group.
  maintenance_note: p.string(),
}
const UPDATABLE_WITH_NOTE = [...UPDATABLE, 'maintenance_note']

runnerRoutes.put('/runners/:id', requireUser, async (c) => {
  const withNote = storeOf(c).profile.maintenanceNote
  // Before 16.10 maintenance_note is not declared, so Grape drops it.
  const raw = { ...(await readParams(c)), id: c.req.param('id'), ...(withNote ? {} : { maintenance_note: undefined }) }
  const params = parseParams(raw, UPDATE_SPECS_WITH_NOTE, {
    mutuallyExclusive: [['active', 'paused']],
    atLeastOneOf: [withNote ? UPDATABLE_WITH_NOTE : UPDATABLE],
  })
  const runner = updateRunner(storeOf(c), requireActor(c), params.id as number, {
    description: params.description,
    active: params.paused !== undefined ? !params.paused : params.active,
    tagList: params.tag_list,
    runUntagged: params.run_untagged,
    locked: params.locked,
    accessLevel: params.access_level as (typeof RUNNER_ACCESS_LEVELS)[number] | undefined,
    maximumTimeout: params.maximum_timeout,
    maintenanceNote: params.maintenance_note,
  })
  return c.json(runnerDetailsEntity(runner, entityContext(c)))
})

runnerRoutes.delete('/runners/:id', requireUser, (c) => {
  deleteRunner(storeOf(c), requireActor(c), pathInt(c, 'id'), ifUnmodifiedSince(c))
  return c.body(null, 204)
})

const JOB_FILTER_SPECS = {
  status: p.string({ values: JOB_STATUSES }),
  order_by: p.string({ values: ['id'] }),
  sort: p.string({ values: ['asc', 'desc'] }),
  ...PAGE_SPECS,
}
const JOB_ID_SPEC = { id: p.int({ required: true }) }
const JOB_SPECS = { ...JOB_ID_SPEC, ...JOB_FILTER_SPECS }
const JOB_SPECS_WITH_SYSTEM_ID = { ...JOB_ID_SPEC, system_id: p.string(), ...JOB_FILTER_SPECS }

runnerRoutes.get('/runners/:id/jobs', requireUser, (c) => {
  const raw = queryParams(c)
  // system_id is declared from 16.8 (the profile says); before, it is an unknown parameter and ignored.
  const bySystemId = storeOf(c).profile.jobsSystemIdFilter
  const query = parseParams({ ...raw, id: c.req.param('id') }, bySystemId ? JOB_SPECS_WITH_SYSTEM_ID : JOB_SPECS) as {
    id?: number
    system_id?: string
    status?: string
    order_by?: string
    sort?: string
  }
  const id = query.id as number
  // A blank system_id is no filter (`params[:system_id].blank?`).
  const systemId = query.system_id === undefined || query.system_id.trim() === '' ? undefined : query.system_id
  const jobs = listRunnerJobs(storeOf(c), requireActor(c), id, {
    systemId,
    status: query.status as (typeof JOB_STATUSES)[number] | undefined,
    orderBy: query.order_by as 'id' | undefined,
    sort: query.sort as 'asc' | 'desc' | undefined,
  })
  const ctx = entityContext(c)
  // Filtering by a manager, GitLab's paginator skips the count: no X-Total, X-Total-Pages or rel="last".
  return sendPage(c, jobs, raw, (job) => jobEntity(job, ctx), { id, sort: query.sort ?? 'desc' }, { withoutCount: systemId !== undefined })
})

runnerRoutes.post('/runners/:id/reset_authentication_token', requireUser, (c) => {
  const runner = resetAuthenticationTokenById(storeOf(c), requireActor(c), pathInt(c, 'id'))
  return c.json(resetAuthTokenEntity(runner), 201)
})
