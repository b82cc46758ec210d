/** @module The fake's setup layer (in-process and Docker alike): reseed through the control API with the contract fixture, read the well-known tokens. */
import { CONTROL_TOKEN_HEADER } from '../../src/control/routes.js'
import type { WellKnownTokens } from '../../src/world.js'
import type { ContractWorld, TargetEndpoint, TargetName } from '../lib/types.js'
import { CONTRACT_FIXTURE, CONTRACT_GROUP, CONTRACT_OTHER_PROJECT, CONTRACT_PROJECT } from './contract-fixture.js'

async function control(endpoint: TargetEndpoint, method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (endpoint.controlToken) headers[CONTROL_TOKEN_HEADER] = endpoint.controlToken
  const res = await fetch(`${endpoint.baseUrl.replace(/\/+$/, '')}/-/mock${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`control API ${method} ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

const tokenOf = (tokens: WellKnownTokens, username: string): string => {
  const token = tokens.users[username]
  if (!token) throw new Error(`the fake has no usable token for ${username}`)
  return token
}

/** Reseed the fake with the contract fixture and describe the world it now holds. */
export async function fakeWorld(target: TargetName, endpoint: TargetEndpoint, runId: string): Promise<ContractWorld> {
  await control(endpoint, 'POST', '/reseed', { fixture: CONTRACT_FIXTURE, seed: 1 })
  const tokens = (await control(endpoint, 'GET', '/tokens')) as WellKnownTokens
  const maintainerTokens = CONTRACT_FIXTURE.users?.find((u) => u.username === 'maintainer')?.tokens ?? []
  const byScope = (predicate: (t: (typeof maintainerTokens)[number]) => boolean) => maintainerTokens.find(predicate)?.token
  const projectId = (path: string) => CONTRACT_FIXTURE.projects?.find((p) => p.path_with_namespace === path)?.id as number
  return {
    target,
    mode: 'strict',
    // The suite reads the real value from GET /version once the world is up.
    gitlabVersion: '15.11',
    runId,
    tokens: {
      admin: tokenOf(tokens, 'root'),
      maintainer: tokenOf(tokens, 'maintainer'),
      reporter: tokenOf(tokens, 'reporter'),
      outsider: tokenOf(tokens, 'outsider'),
      groupOwner: tokenOf(tokens, 'owner'),
      maintainerReadOnly: byScope((t) => t.scopes?.includes('read_api') === true),
      revoked: byScope((t) => t.revoked === true),
      expired: byScope((t) => t.expires_at !== undefined),
      maintainerManageRunner: byScope((t) => t.scopes?.includes('manage_runner') === true),
    },
    group: { id: CONTRACT_FIXTURE.groups?.[0]?.id as number, path: CONTRACT_GROUP },
    project: { id: projectId(CONTRACT_PROJECT), path: CONTRACT_PROJECT },
    otherProject: { id: projectId(CONTRACT_OTHER_PROJECT), path: CONTRACT_OTHER_PROJECT },
    registration: {
      project: tokens.registration.projects[CONTRACT_PROJECT] as string,
      group: tokens.registration.groups[CONTRACT_GROUP] as string,
      instance: tokens.registration.instance,
    },
    jobsRunnerId: CONTRACT_FIXTURE.runners?.[0]?.id,
    capabilities: new Set(['instanceRunner', 'destructive', 'seededJobs', 'readOnlyToken', 'revokedToken', 'expiredToken', 'instanceSettings', 'clock', 'manageRunnerToken']),
    missing: {},
    setRegistrationTokensAllowed: async (allowed) => {
      await control(endpoint, 'PUT', '/settings', { allow_runner_registration_token: allowed })
    },
    advanceClock: async (seconds) => {
      const before = (await control(endpoint, 'GET', '/clock')) as { now: string; frozen: boolean }
      await control(endpoint, 'POST', '/clock/advance', { seconds })
      return async () => {
        await control(endpoint, 'PUT', '/clock', { now: before.now, frozen: before.frozen })
      }
    },
    track: () => undefined,
    // The next reseed or reset discards everything; nothing outlives the target.
    teardown: async () => {
      await control(endpoint, 'POST', '/reset')
    },
  }
}
