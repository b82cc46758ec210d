/** @module Group runner endpoints: GET /groups/:id/runners (and the documented /runners/all alias), POST /groups/:id/runners/reset_registration_token. */
import { Hono, type Context } from 'hono'
import { authorizeGroupOwner, findVisibleGroup } from '../../domain/permissions.js'
import { resetGroupRegistrationToken } from '../../domain/runner-tokens.js'
import { listGroupRunners } from '../../domain/runners.js'
import type { Group } from '../../domain/types.js'
import { requireUser } from '../auth.js'
import { requireActor, storeOf } from '../context.js'
import type { AppEnv } from '../env.js'
import { queryParams } from '../params.js'
import { parseRunnerFilter, sendRunnerPage } from './runners.js'

export const groupRunnerRoutes = new Hono<AppEnv>()

/** The group from `:id` (numeric or URL-encoded full path), visible to the caller, who must own it (15.x). */
function ownedGroup(c: Context<AppEnv>): Group {
  const store = storeOf(c)
  const actor = requireActor(c)
  const group = findVisibleGroup(store, actor, c.req.param('id') ?? '')
  authorizeGroupOwner(store, actor, group)
  return group
}

function listRunners(c: Context<AppEnv>) {
  const group = ownedGroup(c)
  const raw = queryParams(c)
  // No `scope` on this endpoint: Grape ignores undeclared parameters.
  const runners = listGroupRunners(storeOf(c), group, parseRunnerFilter(raw, false, storeOf(c).profile))
  return sendRunnerPage(c, runners, raw, { id: c.req.param('id') })
}

groupRunnerRoutes.get('/groups/:id/runners', requireUser, listRunners)
// Documented (runners-api.md) though 15.11 has no such route: the same list.
groupRunnerRoutes.get('/groups/:id/runners/all', requireUser, listRunners)

groupRunnerRoutes.post('/groups/:id/runners/reset_registration_token', requireUser, (c) => {
  const group = ownedGroup(c)
  return c.json({ token: resetGroupRegistrationToken(storeOf(c), group) }, 201)
})
