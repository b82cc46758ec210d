/** @module Runner-side endpoints, authenticated by a token in the body or query: POST /runners (register), DELETE /runners, POST /runners/verify, POST /runners/reset_authentication_token. */
import type { Context } from 'hono'
import { deleteRunnerByToken, registerRunner, resetAuthenticationTokenByToken, verifyRunner, type Contact, type RunnerInfo } from '../../domain/runner-tokens.js'
import { activeFrom } from '../../domain/runners.js'
import { RUNNER_ACCESS_LEVELS } from '../../domain/types.js'
import { REGISTRATION_TOKEN, RUNNER_TOKEN } from '../auth.js'
import { clientIp, ifUnmodifiedSince, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { registrationEntity, resetAuthTokenEntity } from '../entities.js'
import { jsonText } from '../entity-text.js'
import type { AppEnv } from '../env.js'
import { p, type RawParams } from '../params.js'

const INFO_KEYS = ['name', 'version', 'revision', 'platform', 'architecture'] as const
/** Each `info` member with the name it is validated under (`info[version]`). */
const INFO_PARAMS = INFO_KEYS.map((key) => [key, `info[${key}]`] as const)

/** What the caller tells about the runner on any runner-authenticated call: its address and `info`. */
function contactOf(c: Context<AppEnv>, raw: RawParams): Contact {
  // Undeclared on these endpoints, so never refused; GitLab reads what it can use from it.
  const nested: unknown = raw.info
  const info: RunnerInfo = {}
  if (nested !== null && typeof nested === 'object' && !Array.isArray(nested))
    for (const key of INFO_KEYS) {
      const value: unknown = (nested as RawParams)[key]
      if (typeof value === 'string') info[key] = value
    }
  // The manager's key; GitLab reads it from the raw parameters, also where the endpoint does not declare it.
  const systemId = typeof raw.system_id === 'string' && raw.system_id !== '' ? raw.system_id : undefined
  return { ipAddress: clientIp(c), info, systemId }
}

const TOKEN = { token: p.string({ required: true }) }

export const runnerTokenEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'POST',
    path: '/runners',
    auth: REGISTRATION_TOKEN,
    // `info` is a Hash with optional String members: a non-hash is `info is invalid`, a bad member
    // `info[version] is invalid`, validated under their Grape names in declaration order.
    params: {
      token: p.string({ required: true }),
      description: p.string(),
      maintainer_note: p.string(),
      maintenance_note: p.string(),
      info: p.hash([]),
      'info[name]': p.string({ member: ['info', 'name'] }),
      'info[version]': p.string({ member: ['info', 'version'] }),
      'info[revision]': p.string({ member: ['info', 'revision'] }),
      'info[platform]': p.string({ member: ['info', 'platform'] }),
      'info[architecture]': p.string({ member: ['info', 'architecture'] }),
      active: p.bool(),
      paused: p.bool(),
      locked: p.bool(),
      access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
      run_untagged: p.bool(),
      tag_list: p.tagList(),
      maximum_timeout: p.int(),
    },
    rules: { mutuallyExclusive: [['maintainer_note', 'maintenance_note'], ['active', 'paused']] },
    success: { status: 201, schema: 'runner-registration' },
    errors: [400, 403, 410, 413],
    handle: (c, { params }) => {
      let info: RunnerInfo | undefined
      for (const [key, name] of INFO_PARAMS) {
        const value = params[name]
        if (value !== undefined) (info ??= {})[key] = value
      }
      const runner = registerRunner(storeOf(c), {
        token: params.token,
        description: params.description,
        info,
        active: activeFrom(params.active, params.paused),
        locked: params.locked,
        runUntagged: params.run_untagged,
        tagList: params.tag_list,
        accessLevel: params.access_level,
        maximumTimeout: params.maximum_timeout,
        // Only the deprecated maintainer_note given: it is stored as the maintenance note.
        maintenanceNote: params.maintenance_note ?? params.maintainer_note,
        ipAddress: clientIp(c),
      })
      return jsonText(c, JSON.stringify(registrationEntity(runner)), 201)
    },
  }),
  // gitlab-runner and gitbeaker send the token in a JSON body, go-gitlab in the query, curl as a form.
  defineEndpoint({
    method: 'DELETE',
    path: '/runners',
    auth: RUNNER_TOKEN,
    params: TOKEN,
    success: { status: 204, schema: null },
    errors: [400, 403, 412, 413],
    handle: (c, { params, raw }) => {
      deleteRunnerByToken(storeOf(c), params.token, contactOf(c, raw), ifUnmodifiedSince(c))
      return c.body(null, 204)
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/runners/verify',
    auth: RUNNER_TOKEN,
    params: { token: p.string({ required: true }), system_id: p.string() },
    success: { status: 200, schema: 'runner-registration' },
    errors: [400, 403, 413],
    handle: (c, { params, raw }) => c.json(registrationEntity(verifyRunner(storeOf(c), params.token, contactOf(c, raw))), 200),
  }),
  defineEndpoint({
    method: 'POST',
    path: '/runners/reset_authentication_token',
    auth: RUNNER_TOKEN,
    params: TOKEN,
    success: { status: 201, schema: 'runner-token-reset' },
    errors: [400, 403, 413],
    handle: (c, { params, raw }) => c.json(resetAuthTokenEntity(resetAuthenticationTokenByToken(storeOf(c), params.token, contactOf(c, raw))), 201),
  }),
]
