/** @module What clients call before any runner call: GET /api/v4/version and GET /api/v4/user. */
import { Hono } from 'hono'
import { requireUser } from '../auth.js'
import { baseUrlOf, requireActor } from '../context.js'
import { currentUserEntity } from '../entities.js'
import type { AppEnv } from '../env.js'

import { GITLAB_VERSION } from '../gitlab-version.js'

export { GITLAB_VERSION }

export const metaRoutes = new Hono<AppEnv>()

metaRoutes.get('/version', requireUser, (c) =>
  c.json({ ...GITLAB_VERSION, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false }),
)

/** The token's user (after sudo) as GitLab presents the current user. */
metaRoutes.get('/user', requireUser, (c) => {
  const { user, isAdmin } = requireActor(c)
  return c.json(currentUserEntity(user, isAdmin, baseUrlOf(c)))
})
