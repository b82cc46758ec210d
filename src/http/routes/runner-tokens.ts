/** @module Runner-side endpoints, authenticated by a token in the body or query: POST /runners (register), DELETE /runners, POST /runners/verify, POST /runners/reset_authentication_token. */
import { Hono, type Context } from 'hono'
import {
  deleteRunnerByToken,
  registerRunner,
  resetAuthenticationTokenByToken,
  verifyRunner,
  type Contact,
  type RunnerInfo,
} from '../../domain/runner-tokens.js'
import { RUNNER_ACCESS_LEVELS, type RunnerAccessLevel } from '../../domain/types.js'
import { clientIp, ifUnmodifiedSince, storeOf } from '../context.js'
import { registrationEntity, resetAuthTokenEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { p, parseParams, readParams, type RawParams } from '../params.js'

export const runnerTokenRoutes = new Hono<AppEnv>()

const INFO_KEYS = ['name', 'version', 'revision', 'platform', 'architecture'] as const

/**
 * `info` is a Hash with optional String members: a non-hash is `info is invalid`, a bad member
 * `info[version] is invalid`. The members are validated under their Grape names, in declaration order.
 */
function infoSpecs(raw: RawParams) {
  const nested = raw.info !== null && typeof raw.info === 'object' && !Array.isArray(raw.info) ? (raw.info as RawParams) : {}
  const view: RawParams = {}
  const specs: Record<string, ReturnType<typeof p.string>> = {}
  for (const key of INFO_KEYS) {
    view[`info[${key}]`] = nested[key]
    specs[`info[${key}]`] = p.string()
  }
  return { view, specs }
}

function infoOf(params: Record<string, unknown>): RunnerInfo | undefined {
  const info: RunnerInfo = {}
  for (const key of INFO_KEYS) {
    const value = params[`info[${key}]`]
    if (typeof value === 'string') info[key] = value
  }
  return Object.keys(info).length > 0 ? info : undefined
}

/** What the caller tells about the runner on any runner-authenticated call: its address and `info`. */
function contactOf(c: Context<AppEnv>, raw: RawParams): Contact {
  // Undeclared on these endpoints, so never refused; GitLab reads what it can use from it.
  const nested = raw.info !== null && typeof raw.info === 'object' && !Array.isArray(raw.info) ? (raw.info as RawParams) : {}
  const info: RunnerInfo = {}
  for (const key of INFO_KEYS) if (typeof nested[key] === 'string') info[key] = nested[key] as string
  // The manager's key; GitLab reads it from the raw parameters, also where the endpoint does not declare it.
  const systemId = typeof raw.system_id === 'string' && raw.system_id !== '' ? raw.system_id : undefined
  return { ipAddress: clientIp(c), info, systemId }
}

runnerTokenRoutes.post('/runners', async (c) => {
  const raw = await readParams(c)
  const { view, specs } = infoSpecs(raw)
  const params = parseParams(
    { ...raw, ...view },
    {
      token: p.string({ required: true }),
      description: p.string(),
      maintainer_note: p.string(),
      maintenance_note: p.string(),
      info: p.hash([]),
      ...specs,
      active: p.bool(),
      paused: p.bool(),
      locked: p.bool(),
      access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
      run_untagged: p.bool(),
      tag_list: p.tagList(),
      maximum_timeout: p.int(),
    },
    { mutuallyExclusive: [['maintainer_note', 'maintenance_note'], ['active', 'paused']] },
  )
  const runner = registerRunner(storeOf(c), {
    token: params.token as string,
    description: params.description,
    info: infoOf(params),
    active: params.paused !== undefined ? !params.paused : params.active,
    locked: params.locked,
    runUntagged: params.run_untagged,
    tagList: params.tag_list,
    accessLevel: params.access_level as RunnerAccessLevel | undefined,
    maximumTimeout: params.maximum_timeout,
    // Only the deprecated maintainer_note given: it is stored as the maintenance note.
    maintenanceNote: params.maintenance_note ?? params.maintainer_note,
    ipAddress: clientIp(c),
  })
  return c.json(registrationEntity(runner), 201)
})

runnerTokenRoutes.delete('/runners', async (c) => {
  // gitlab-runner and gitbeaker send the token in a JSON body, go-gitlab in the query, curl as a form.
  const raw = await readParams(c)
  const { token } = parseParams(raw, { token: p.string({ required: true }) })
  deleteRunnerByToken(storeOf(c), token as string, contactOf(c, raw), ifUnmodifiedSince(c))
  return c.body(null, 204)
})

runnerTokenRoutes.post('/runners/verify', async (c) => {
  const raw = await readParams(c)
  const { token } = parseParams(raw, { token: p.string({ required: true }), system_id: p.string() })
  const runner = verifyRunner(storeOf(c), token as string, contactOf(c, raw))
  return c.json(registrationEntity(runner), 200)
})

runnerTokenRoutes.post('/runners/reset_authentication_token', async (c) => {
  const raw = await readParams(c)
  const { token } = parseParams(raw, { token: p.string({ required: true }) })
  const runner = resetAuthenticationTokenByToken(storeOf(c), token as string, contactOf(c, raw))
  return c.json(resetAuthTokenEntity(runner), 201)
})
