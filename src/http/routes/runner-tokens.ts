/** @module Runner-side endpoints, authenticated by a token in the body or query: POST /runners (register), DELETE /runners, POST /runners/verify, POST /runners/reset_authentication_token. */
import { Hono } from 'hono'
import {
  deleteRunnerByToken,
  registerRunner,
  resetAuthenticationTokenByToken,
  verifyRunner,
} from '../../domain/runner-tokens.js'
import { RUNNER_ACCESS_LEVELS } from '../../domain/types.js'
import { clientIp, storeOf } from '../context.js'
import { registrationEntity, resetAuthTokenEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { mutuallyExclusive, p, parseParams, readParams } from '../params.js'

export const runnerTokenRoutes = new Hono<AppEnv>()

const INFO_KEYS = ['name', 'version', 'revision', 'platform', 'architecture'] as const

runnerTokenRoutes.post('/runners', async (c) => {
  const raw = await readParams(c)
  const params = parseParams(raw, {
    token: p.string({ required: true }),
    description: p.string(),
    maintainer_note: p.string(),
    maintenance_note: p.string(),
    info: p.hash(INFO_KEYS),
    active: p.bool(),
    paused: p.bool(),
    locked: p.bool(),
    run_untagged: p.bool(),
    tag_list: p.tagList(),
    access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
    maximum_timeout: p.int(),
  })
  mutuallyExclusive(raw, ['maintainer_note', 'maintenance_note'])
  mutuallyExclusive(raw, ['active', 'paused'])
  const runner = registerRunner(storeOf(c), {
    token: params.token as string,
    description: params.description,
    info: params.info,
    active: params.paused !== undefined ? !params.paused : params.active,
    locked: params.locked,
    runUntagged: params.run_untagged,
    tagList: params.tag_list,
    accessLevel: params.access_level as (typeof RUNNER_ACCESS_LEVELS)[number] | undefined,
    maximumTimeout: params.maximum_timeout,
    maintenanceNote: params.maintenance_note ?? params.maintainer_note,
    ipAddress: clientIp(c),
  })
  return c.json(registrationEntity(runner), 201)
})

/** The authentication token every runner-side call needs: `token is missing` otherwise. */
async function runnerToken(c: Parameters<typeof clientIp>[0]): Promise<string> {
  const { token } = parseParams(await readParams(c), { token: p.string({ required: true }), system_id: p.string() })
  return token as string
}

runnerTokenRoutes.delete('/runners', async (c) => {
  deleteRunnerByToken(storeOf(c), await runnerToken(c))
  return c.body(null, 204)
})

runnerTokenRoutes.post('/runners/verify', async (c) => {
  const runner = verifyRunner(storeOf(c), await runnerToken(c), clientIp(c))
  return c.json(registrationEntity(runner), 200)
})

runnerTokenRoutes.post('/runners/reset_authentication_token', async (c) => {
  const runner = resetAuthenticationTokenByToken(storeOf(c), await runnerToken(c), clientIp(c))
  return c.json(resetAuthTokenEntity(runner), 201)
})
