/**
 * @module Runner managers: DELETE /runners/managers (runner token + system_id, 16.0+) and
 * GET /runners/:id/managers (user token, 17.1+). Mounted before the user-token runner routes: before 16.0
 * DELETE /runners/managers falls through to DELETE /runners/:id, as it did in GitLab.
 */
import { Hono } from 'hono'
import { listRunnerManagers } from '../../domain/managers.js'
import { deleteManagerByToken } from '../../domain/runner-tokens.js'
import { requireUser } from '../auth.js'
import { ifUnmodifiedSince, requireActor, storeOf } from '../context.js'
import { runnerManagerEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { p, parseParams, pathInt, readParams } from '../params.js'
import { availableSince } from './since.js'

export const runnerManagerRoutes = new Hono<AppEnv>()

runnerManagerRoutes.delete('/runners/managers', availableSince('16.0', async (c) => {
  const raw = await readParams(c)
  const params = parseParams(raw, { token: p.string({ required: true }), system_id: p.string({ required: true }) })
  deleteManagerByToken(storeOf(c), params.token as string, params.system_id as string, ifUnmodifiedSince(c))
  return c.body(null, 204)
}))

runnerManagerRoutes.get('/runners/:id/managers', availableSince('17.1', requireUser, (c) => {
  const store = storeOf(c)
  const managers = listRunnerManagers(store, requireActor(c), pathInt(c, 'id'))
  // A plain array: GitLab does not paginate this list.
  return c.json(managers.map((m) => runnerManagerEntity(m, store)))
}))
