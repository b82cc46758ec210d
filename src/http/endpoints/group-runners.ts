/** @module Group runner endpoints: GET /groups/:id/runners (and the documented /runners/all alias), POST /groups/:id/runners/reset_registration_token. */
import type { Context } from 'hono'
import { findOwnedGroup } from '../../domain/permissions.js'
import { resetGroupRegistrationToken } from '../../domain/runner-tokens.js'
import { listGroupRunners } from '../../domain/runners.js'
import type { Group } from '../../domain/types.js'
import { USER_READ, USER_WRITE } from '../auth.js'
import { requireActor, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint, type EndpointInput } from '../endpoint.js'
import type { AppEnv } from '../env.js'
import { RUNNER_FILTER_SPECS, runnerFilterOf, sendRunnerPage } from '../runner-lists.js'
import { RUNNER_LIST, USER_ERRORS } from './contracts.js'

/** The group from `:id` (numeric or URL-encoded full path), visible to the caller, who must own it (15.x); checked before the parameters. */
const ownedGroup = (c: Context<AppEnv>): Group => findOwnedGroup(storeOf(c), requireActor(c), c.req.param('id') ?? '')

// No `scope` on this endpoint: Grape ignores undeclared parameters.
function listRunners(c: Context<AppEnv>, { params, raw, before: group }: EndpointInput<typeof RUNNER_FILTER_SPECS, Group>) {
  const runners = listGroupRunners(storeOf(c), group, runnerFilterOf(params, raw))
  return sendRunnerPage(c, () => runners, raw, { id: c.req.param('id') })
}

export const groupRunnerEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/groups/:id/runners',
    auth: USER_READ,
    before: ownedGroup,
    params: RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    handle: listRunners,
  }),
  // Documented (runners-api.md) though 15.11 has no such route: the same list.
  defineEndpoint({
    method: 'GET',
    path: '/groups/:id/runners/all',
    auth: USER_READ,
    before: ownedGroup,
    params: RUNNER_FILTER_SPECS,
    success: RUNNER_LIST,
    errors: USER_ERRORS,
    handle: listRunners,
  }),
  defineEndpoint({
    method: 'POST',
    path: '/groups/:id/runners/reset_registration_token',
    auth: USER_WRITE,
    before: ownedGroup,
    success: { status: 201, schema: 'registration-token-reset' },
    errors: USER_ERRORS,
    handle: (c, { before: group }) => c.json({ token: resetGroupRegistrationToken(storeOf(c), group) }, 201),
  }),
]
