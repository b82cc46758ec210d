/** @module What clients call before any runner call: GET /api/v4/version (the emulated release, from the version profile) and GET /api/v4/user. */
import { Hono } from 'hono'
import { requireUser } from '../auth.js'
import { baseUrlOf, requireActor } from '../context.js'
import { currentUserEntity } from '../entities.js'
import type { AppEnv } from '../env.js'

export const metaRoutes = new Hono<AppEnv>()

metaRoutes.get('/version', requireUser, (c) =>
  c.json({ ...c.get('world').profile.release, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false }),
)

/** The token's user (after sudo) as GitLab presents the current user. */
metaRoutes.get('/user', requireUser, (c) => {
  const { user, isAdmin } = requireActor(c)
  return c.json(currentUserEntity(user, isAdmin, baseUrlOf(c)))
})
